import { TaskSeqError } from "@taskseq/model";
import type {
  BitLockerCapability,
  ClockCapability,
  NetworkCapability,
  RebootCapability,
  RestartTarget,
  StateStoreCapability,
  MessageBoxResult,
  UiCapability,
  UsmtCapability,
  UsmtRequest,
} from "../types.js";
import { firstMessageButton, MESSAGE_BOX_RESULTS } from "../message-box.js";
import { hardwareFacts } from "./sim-facts.js";
import { allPartitions, failed, installedOs, partitionByLetter, record, type SimState } from "./sim-state.js";

/** The `network` capability. Account passwords are used, never stored or recorded. */
export function createSimNetwork(state: SimState): NetworkCapability {
  return {
    mapDrive: async (path, driveLetter) => {
      const letter = `${driveLetter.replace(/:$/, "").toUpperCase()}:`;
      if (!/^[D-WYZ]:$/.test(letter)) throw new TaskSeqError("InvalidSetting", `'${driveLetter}' cannot be mapped (D: to Z:, never X:).`);
      if (partitionByLetter(state, letter) !== undefined || state.mappedDrives.has(letter)) throw failed(`Drive letter ${letter} is in use.`);
      state.mappedDrives.set(letter, path);
      record(state, "network", `map ${letter} to ${path}`);
    },
    joinDomain: async (domain, account, ou) => {
      const os = state.profile.os.installed;
      if (state.profile.os.running !== "FullOS" || os === undefined) throw new TaskSeqError("WrongEnvironment", "Joining a domain needs the full OS.");
      if (account.userName === "") throw failed("A domain join needs an account.");
      os.domain = domain;
      delete os.workgroup;
      record(state, "network", `join domain ${domain}${ou === undefined ? "" : ` in ${ou}`}`);
    },
    joinWorkgroup: async (name) => {
      const os = state.profile.os.installed;
      if (state.profile.os.running !== "FullOS" || os === undefined) throw new TaskSeqError("WrongEnvironment", "Joining a workgroup needs the full OS.");
      delete os.domain;
      os.workgroup = name;
      record(state, "network", `join workgroup ${name}`);
    },
    applySettings: async (settings) => {
      record(state, "network", `settings ${Object.keys(settings).sort().join(", ")}`);
    },
  };
}

function volume(state: SimState, letter: string) {
  const ref = partitionByLetter(state, letter.slice(0, 2));
  if (ref === undefined) throw new TaskSeqError("InvalidSetting", `Volume ${letter} does not exist.`);
  return ref.partition;
}

/**
 * The `bitlocker` capability: TPM protectors need a present, enabled and activated TPM; enabling a
 * suspended volume resumes its protection at once, without re-encrypting it.
 */
export function createSimBitLocker(state: SimState): BitLockerCapability {
  const tpmUsable = () => {
    const t = hardwareFacts(state).tpm;
    return t.present && t.enabled && t.activated;
  };
  return {
    status: async (letter) => volume(state, letter).bitLocker ?? "FullyDecrypted",
    enable: async (request) => {
      if (state.profile.os.running !== "FullOS") throw new TaskSeqError("WrongEnvironment", "Enable BitLocker runs in the full OS.");
      const v = volume(state, request.volume);
      if (request.protector.startsWith("TPM") && !tpmUsable()) throw failed("No usable TPM (present, enabled and activated) for a TPM protector.", { tpm: false });
      if (request.protector === "TPMAndPIN" && (request.pin ?? "") === "") throw new TaskSeqError("InvalidSetting", "A TPM and PIN protector needs a PIN.");
      if (v.bitLocker === "Suspended") {
        // Already encrypted: the key protectors are re-enabled at once, nothing is re-encrypted.
        v.bitLocker = "FullyEncrypted";
        delete v.bitLockerSuspendCount;
        record(state, "bitlocker", `resume ${request.volume} (${request.protector})`);
        return;
      }
      v.bitLocker = request.wait === true ? "FullyEncrypted" : "EncryptionInProgress";
      if (request.wait === true) state.elapsedMs += 1_200_000;
      record(state, "bitlocker", `enable ${request.volume} (${request.protector})`);
    },
    preProvision: async (letter) => {
      if (state.profile.os.running !== "WinPE") throw new TaskSeqError("WrongEnvironment", "Pre-provision BitLocker runs in Windows PE.");
      if (!tpmUsable()) throw failed("No usable TPM for pre-provisioning.", { tpm: false });
      volume(state, letter).bitLocker = "EncryptionInProgress";
      record(state, "bitlocker", `pre-provision ${letter}`);
    },
    suspend: async (letter, rebootCount) => {
      const v = volume(state, letter);
      if ((v.bitLocker ?? "FullyDecrypted") === "FullyDecrypted") throw failed(`BitLocker is not on for ${letter}.`);
      v.bitLocker = "Suspended";
      v.bitLockerSuspendCount = rebootCount;
      record(state, "bitlocker", `suspend ${letter} for ${rebootCount} restart(s)`);
    },
  };
}

/** Resume BitLocker protection whose suspension count ran out (on every restart). */
function countSuspensions(state: SimState): void {
  for (const { partition } of allPartitions(state)) {
    if (partition.bitLocker !== "Suspended" || (partition.bitLockerSuspendCount ?? 0) === 0) continue;
    partition.bitLockerSuspendCount = (partition.bitLockerSuspendCount ?? 1) - 1;
    if (partition.bitLockerSuspendCount === 0) {
      partition.bitLocker = "FullyEncrypted";
      delete partition.bitLockerSuspendCount;
    }
  }
}

/** The `stateStore` capability: one folder per request on a simulated state migration point. */
export function createSimStateStore(state: SimState): StateStoreCapability {
  return {
    request: async (type) => {
      if (state.stateStoreFailures > 0) {
        state.stateStoreFailures--;
        throw failed("No state migration point is available.", { retryable: true });
      }
      if (type === "restore") {
        const captured = [...state.stateStores.entries()].find(([, s]) => s.captured);
        if (captured === undefined) throw failed("No captured user state to restore.");
        state.stateStores.set(captured[0], { type, captured: true, released: false });
        record(state, "stateStore", `restore from ${captured[0]}`);
        return captured[0];
      }
      const path = `\\\\SMP01\\SMPSTOREC_${state.profile.hardware.uuid.slice(0, 8)}$\\${state.stateStores.size + 1}`;
      state.stateStores.set(path, { type, captured: false, released: false });
      record(state, "stateStore", `capture to ${path}`);
      return path;
    },
    release: async (path) => {
      const store = state.stateStores.get(path);
      if (store === undefined) throw failed(`State store '${path}' was not requested.`);
      if (store.released) throw failed(`State store '${path}' was already released.`);
      store.released = true;
      record(state, "stateStore", `release ${path}`);
    },
  };
}

/** The USMT switches a request stands for, as recorded (never the local account password). */
function usmtSwitches(request: UsmtRequest): string {
  const switches: [boolean | undefined, string][] = [
    [request.continueOnError, "/c"],
    [request.verboseLogging, "/v:13"],
    [request.skipEncryptedFiles, "/efs:skip"],
    [request.offline, "/offlinewindir"],
    [request.volumeShadowCopy, "/vsc"],
    [request.hardLinks, "/hardlink"],
    [request.localAccounts, "/lac /lae"],
  ];
  return switches.flatMap(([on, text]) => (on === true ? [` ${text}`] : [])).join("");
}

/**
 * The `usmt` capability: capture needs a requested state store (or a local folder, as hard-link
 * captures use) and marks it as holding state; restore needs captured state. Both return 0, or 1
 * when the store is unusable. An online capture runs in the full OS, an offline one in Windows PE
 * with Windows installed on the disks (else `WrongEnvironment` / `DeviceOperationFailed`). The
 * history records the USMT switches the options stand for.
 */
export function createSimUsmt(state: SimState): UsmtCapability {
  return {
    capture: async (request) => {
      const offline = request.offline === true;
      if (state.profile.os.running !== (offline ? "WinPE" : "FullOS")) {
        throw new TaskSeqError("WrongEnvironment", offline ? "An offline USMT capture runs in Windows PE." : "An online USMT capture runs in the full OS.");
      }
      if (offline && installedOs(state) === undefined) throw failed("No Windows installation to capture user state from offline.");
      const store = state.stateStores.get(request.storePath);
      if (store === undefined && request.storePath.startsWith("\\\\")) return 1;
      state.stateStores.set(request.storePath, { type: store?.type ?? "capture", captured: true, released: store?.released ?? false });
      state.elapsedMs += 300_000;
      record(state, "usmt", `scanstate to ${request.storePath}${usmtSwitches(request)}`);
      return 0;
    },
    restore: async (request) => {
      if (state.stateStores.get(request.storePath)?.captured !== true) return 1;
      state.elapsedMs += 300_000;
      record(state, "usmt", `loadstate from ${request.storePath}${usmtSwitches(request)}`);
      return 0;
    },
  };
}

/** Restart the machine into a target (shared by `reboot`, power loss and misbehaving programs). */
export function restartInto(state: SimState, target: RestartTarget, reason: string): void {
  state.profile.os.running = target === "HD" ? "FullOS" : "WinPE";
  state.mappedDrives.clear();
  countSuspensions(state);
  state.elapsedMs += 90_000;
  record(state, "restart", `${reason}: into ${target}`);
}

/** The `reboot` capability. */
export function createSimReboot(state: SimState): RebootCapability {
  const bootable = (): RestartTarget[] => {
    const targets: RestartTarget[] = [];
    if (installedOs(state) !== undefined) targets.push("HD");
    if (state.profile.os.winpe?.bootable !== false) targets.push("WinPE");
    return targets;
  };
  return {
    bootableTargets: async () => bootable(),
    notify: async (_message, timeoutSeconds) => {
      record(state, "notify", `restart notice for ${timeoutSeconds} s`);
      state.elapsedMs += timeoutSeconds * 1000;
    },
    restart: async (target) => {
      if (!bootable().includes(target)) throw failed(`Cannot restart into ${target}: it is not bootable.`, { target });
      restartInto(state, target, "restart");
    },
  };
}

/**
 * The simulated `ui` capability: it answers a script's `ShowMessageEx` questions at once from
 * scripted answers (the profile's `ui.messageAnswers`, or {@link SimulatedUi.queueAnswers}).
 */
export interface SimulatedUi extends UiCapability {
  /**
   * The next scripted answer of the first rule whose regex finds `text` and that has one left, or
   * the first button of `buttons` (com-api.md §2.2). Recorded in the device's history as a `message`.
   */
  answerMessage(title: string, text: string, buttons: number): MessageBoxResult;
  /**
   * Scripts answers: the next questions whose text `match` (a case-insensitive regular expression)
   * finds get `answers`, in order, before any rule armed earlier or listed in the profile.
   *
   * @throws TaskSeqError `InvalidArgument` for a bad regular expression or an answer that is not a `MessageBox` result
   */
  queueAnswers(match: string, answers: readonly MessageBoxResult[]): void;
}

/** The `ui` capability: progress is recorded; dialogs time out on the simulated clock; questions are answered as scripted. */
export function createSimUi(state: SimState): SimulatedUi {
  return {
    progress: async (update) => record(state, "progress", `${update.current}/${update.total} ${update.step}`),
    message: async (title, _text, timeoutSeconds) => {
      record(state, "message", title);
      if (timeoutSeconds <= 0) return "ok";
      state.elapsedMs += timeoutSeconds * 1000;
      return "timeout";
    },
    close: async () => record(state, "progress", "closed"),
    answerMessage: (title, text, buttons) => {
      const rule = state.profile.ui?.messageAnswers?.find((r) => r.answers.length > 0 && new RegExp(r.match, "i").test(text));
      const answer = rule?.answers.shift() ?? firstMessageButton(buttons);
      record(state, "message", `${title}: answered ${answer}`);
      return answer;
    },
    queueAnswers: (match, answers) => {
      try {
        new RegExp(match, "i");
      } catch (e) {
        throw new TaskSeqError("InvalidArgument", `'${match}' is not a valid regular expression.`, { cause: e });
      }
      const bad = answers.find((a) => !MESSAGE_BOX_RESULTS.includes(a));
      if (bad !== undefined) throw new TaskSeqError("InvalidArgument", `${String(bad)} is not a MessageBox result (${MESSAGE_BOX_RESULTS.join(", ")}).`);
      const rules = state.profile.ui?.messageAnswers ?? [];
      state.profile.ui = { ...state.profile.ui, messageAnswers: [{ match, answers: [...answers] }, ...rules] };
    },
  };
}

/** The `clock` capability: `sleep` advances simulated time at once. */
export function createSimClock(state: SimState): ClockCapability {
  return {
    now: () => state.clockStart + state.elapsedMs,
    sleep: async (ms, signal) => {
      if (signal?.aborted === true) throw new TaskSeqError("Aborted", "The wait was aborted.");
      state.elapsedMs += Math.max(0, ms);
    },
  };
}
