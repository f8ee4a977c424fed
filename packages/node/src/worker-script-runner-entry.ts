/**
 * The worker side of `createWorkerScriptRunner`: runs each script with a `@taskseq/script` runner
 * whose environment and device are proxies. Every proxy call is synchronous: it posts the call on
 * the host channel, blocks on the shared flag with `Atomics.wait` and reads the answer with
 * `receiveMessageOnPort` (the host thread answers while this thread is blocked). A wake-up can be
 * spurious (the previous call's notify may arrive after this call began waiting), so the wait
 * repeats until the flag is raised, and answers are matched to their call by number.
 */
import { parentPort, receiveMessageOnPort, workerData } from "node:worker_threads";
import type { MessagePort } from "node:worker_threads";
import { compilePowerShellForRunner, createScriptRunner } from "@taskseq/script";
import type { ScriptDevice, ScriptEnvironment, ScriptFileWrite, ScriptRunRequest } from "@taskseq/script";
import type { FileStat, RegistryValue, WmiRow } from "@taskseq/device";
import { TaskSeqError } from "@taskseq/model";
import { fromWireError, toWireResult } from "./worker-script-runner-protocol.js";
import type { HostCall, HostCallOp, HostReply, RunMessage, WireReach, WireRequest, WorkerMessage, WorkerSetup } from "./worker-script-runner-protocol.js";

const setup = workerData as WorkerSetup & { readonly hostPort: MessagePort };
const flag = new Int32Array(setup.flag);
const host = parentPort;
/** Longest wait for an answer that the flag announced but the port has not delivered yet. */
const LATE_ANSWER_MS = 5000;
let seq = 0;
/**
 * The values that came with the last `GetVariables`, valid until the next host call: the sandbox
 * reads every variable right after listing them (its snapshot), one round trip instead of one per variable.
 */
let listed: Map<string, string | undefined> | undefined;

/** One synchronous call to the host thread. */
function call(op: HostCallOp, ...args: readonly unknown[]): unknown {
  listed = undefined;
  const id = ++seq;
  Atomics.store(flag, 0, 0);
  setup.hostPort.postMessage({ seq: id, op, args } satisfies HostCall);
  while (Atomics.load(flag, 0) === 0) Atomics.wait(flag, 0, 0);
  const reply = answerTo(id);
  if ("error" in reply) throw fromWireError(reply.error);
  return reply.value;
}

/** The answer to call `id` (the flag is raised: it is posted), skipping any older answer. */
function answerTo(id: number): HostReply {
  for (let waited = 0; waited < LATE_ANSWER_MS; ) {
    const received = receiveMessageOnPort(setup.hostPort) as { readonly message: HostReply } | undefined;
    if (received === undefined) {
      Atomics.wait(flag, 0, 1, 1);
      waited++;
    } else if (received.message.seq === id) {
      return received.message;
    }
  }
  throw new TaskSeqError("ScriptError", "The script host did not answer.");
}

const environment: ScriptEnvironment = {
  get: (name) => (listed?.has(name) === true ? listed.get(name) : (call("env.get", name) as string | undefined)),
  set: (name, value) => void call("env.set", name, value),
  isSecret: (name) => call("env.isSecret", name) as boolean,
  redact: (text) => call("env.redact", text) as string,
  GetVariables: () => {
    const [names, values] = call("env.list") as [string[], (string | undefined)[]];
    listed = new Map(names.map((name, i) => [name, values[i]]));
    return names;
  },
};

function deviceFor(reach: WireReach, osEnvironment: Readonly<Record<string, string>> | undefined): ScriptDevice {
  return {
    ...(reach.writableFiles ? { writableFiles: true } : {}),
    ...(osEnvironment === undefined ? {} : { os: { environmentVariables: () => osEnvironment } }),
    ...(reach.wmi ? { wmi: { query: (namespace: string, wql: string) => call("wmi.query", namespace, wql) as readonly WmiRow[] } } : {}),
    ...(reach.registry
      ? {
          registry: {
            keyExists: (key: string) => call("reg.exists", key) as boolean,
            readValue: (key: string, name: string) => call("reg.read", key, name) as RegistryValue | undefined,
            ...(reach.registryListing ? { listKey: (key: string) => call("reg.list", key) as { subkeys: string[]; values: string[] } | undefined } : {}),
          },
        }
      : {}),
    ...(reach.files
      ? {
          files: {
            exists: (path: string) => call("files.exists", path) as boolean,
            stat: (path: string) => call("files.stat", path) as FileStat | undefined,
            list: (path: string) => call("files.list", path) as readonly string[],
            ...(reach.fileReading ? { readText: (path: string) => call("files.readText", path) as string } : {}),
          },
        }
      : {}),
  };
}

function requestOf(wire: WireRequest): ScriptRunRequest {
  const { reach, osEnvironment, ...plain } = wire;
  return {
    ...plain,
    ...(reach.environment ? { environment } : {}),
    device: deviceFor(reach, osEnvironment),
    ...(reach.respond ? { respond: (event) => call("ui.respond", event) as number } : {}),
    ...(reach.onEvent ? { onEvent: (event) => void call("ui.event", event) } : {}),
    // Each write reaches the host thread before the script goes on: a run the host terminates keeps them.
    ...(reach.writableFiles ? { onFileWrite: (write: ScriptFileWrite) => void call("files.record", write) } : {}),
  };
}

const runner = createScriptRunner({ compilePowerShell: compilePowerShellForRunner, ...(setup.memoryCeilingBytes === undefined ? {} : { memoryCeilingBytes: setup.memoryCeilingBytes }) });

if (host !== null) {
  host.on("message", (message: RunMessage) => {
    void runner.run(requestOf(message.request)).then((result) => {
      const reply: WorkerMessage = { type: "result", id: message.id, ...toWireResult(result) };
      host.postMessage(reply);
    });
  });
  // Create the QuickJS module before the first run, so no run pays for it.
  void runner.run({ language: "javascript", source: "0" }).then(() => host.postMessage({ type: "ready" } satisfies WorkerMessage));
}
