import { createSimulatedDevice } from "@taskseq/device";
import type { DeviceProfile } from "@taskseq/device";
import { createEngine, createMapResolver } from "@taskseq/engine";
import type { DebugSession, LogSink, ResolvedTaskSequence, RunOptions, RunResult, RunStatus, StepReport } from "@taskseq/engine";
import type { StepHandlerRegistry } from "@taskseq/engine";
import { isTaskSeqError, TaskSeqError } from "@taskseq/model";
import type { TaskSequence, TaskSeqErrorCode } from "@taskseq/model";
import { createBuiltinHandlers, liteTouchStart } from "@taskseq/steps";
import { childPackageIds } from "./library.js";
import type { LibraryEntry } from "./library.js";
import { earliestStart } from "./maintenance-windows.js";
import { mayRun } from "./deployment-settings.js";
import { maintenanceWindowsApply } from "./deployment-windows.js";
import { occurrences, toInstant } from "./schedules.js";
import type { Site } from "./site.js";
import { profilePlatform } from "./fleet-devices.js";
import type { FleetDevice } from "./fleet-devices.js";

/** One device's run, as a fleet executor receives it (plain data: it crosses worker threads). */
export interface FleetJob {
  /** Device ID. */
  readonly deviceId: string;
  /** The sequence to run. */
  readonly sequence: TaskSequence;
  /** Child task sequences the sequence may run. */
  readonly children: readonly ResolvedTaskSequence[];
  /** The device profile (its clock starts at the run's start). */
  readonly profile: DeviceProfile;
  /**
   * Engine run options: variables, deployment ID, run time limit, `userStarted` (available and
   * debug deployments: the user starts them; required ones: the scheduler) and the site built-ins
   * (site code, download-on-demand and run-from-DP modes from the deployment option).
   */
  readonly runOptions: RunOptions;
  /**
   * A run of a `debug` deployment: it starts in debug mode (execution.md §11.1), so an executor runs
   * it with `engine.debug(sequence, runOptions)`. See {@link DebugDriver} for what the built-in
   * executors do at the debugger.
   */
  readonly debug?: boolean;
  /** Start as MDT's `LiteTouch.wsf` does on the job's device (`liteTouchStart` of `@taskseq/steps`) before the run. */
  readonly liteTouch?: boolean;
}

/**
 * Works the debugger of a debug job (a session paused before its first instruction) and returns the
 * run's result. The default, {@link quitDebugger}, is a user who closes the debugger at once: Quit,
 * the task sequence continues normally (execution.md §11.2).
 */
export type DebugDriver = (session: DebugSession, job: FleetJob) => Promise<RunResult>;

/** The default {@link DebugDriver}: Quit at the first pause (the run continues normally without the debugger). */
export const quitDebugger: DebugDriver = async (session) => {
  await session.stopped();
  return session.quit();
};

/** What an executor returns for one job (plain data). */
export interface FleetJobResult {
  /** Final status. */
  readonly status: RunStatus;
  /** Exit code. */
  readonly exitCode: number;
  /** Every step. */
  readonly steps: readonly StepReport[];
  /** Run duration on the device clock. */
  readonly durationMs: number;
  /** A run-level error. */
  readonly error?: { readonly code: TaskSeqErrorCode; readonly message: string };
}

/** Runs jobs: the in-process executor is the portable default; `@taskseq/node` offers worker threads. */
export type FleetExecutor = (jobs: readonly FleetJob[]) => Promise<FleetJobResult[]>;

/** A record of a device's client history. */
export interface ClientHistoryRecord {
  /** Deployment ID. */
  readonly deployment: string;
  /** Task sequence package ID. */
  readonly taskSequence: string;
  /** What happened. */
  readonly kind: "run" | "run-first-program" | "not-started" | "skipped";
  /** When (ms, UTC). */
  readonly at: number;
  /** Run status. */
  readonly status?: RunStatus;
  /** Why it did not run, or the run's error. */
  readonly reason?: string;
}

/** Each device's client history, kept across fleet runs (rerun behaviour and run-first programs read it). */
export interface ClientHistory {
  /** Records of a device, oldest first. */
  of(deviceId: string): readonly ClientHistoryRecord[];
  /** Appends a record. */
  add(deviceId: string, record: ClientHistoryRecord): void;
}

/** Creates an empty client history. */
export function createClientHistory(): ClientHistory {
  const records = new Map<string, ClientHistoryRecord[]>();
  return {
    of: (id) => records.get(id.toUpperCase()) ?? [],
    add: (id, record) => {
      const list = records.get(id.toUpperCase()) ?? [];
      list.push(record);
      records.set(id.toUpperCase(), list);
    },
  };
}

/** One device's outcome in a fleet run. */
export interface FleetDeviceResult {
  /** Device ID. */
  readonly deviceId: string;
  /** `not-started` when no run was allowed (disabled sequence, expired, no maintenance window, rerun rule). */
  readonly status: RunStatus | "not-started";
  /** When the (last) run started. */
  readonly startedAt?: number;
  /** Runs in the simulated period. */
  readonly runs: number;
  /** Steps of the last run. */
  readonly steps: readonly StepReport[];
  /** Exit code of the last run. */
  readonly exitCode: number;
  /** Why it did not start, or the run error. */
  readonly reason?: string;
}

/** The result of {@link runFleet}. */
export interface FleetResult {
  /** Deployment ID. */
  readonly deployment: string;
  /** Task sequence name. */
  readonly taskSequence: string;
  /** Per device. */
  readonly devices: readonly FleetDeviceResult[];
  /** Devices per status. */
  readonly summary: Readonly<Record<RunStatus | "not-started", number>>;
}

/** Options of {@link runFleet}. */
export interface FleetOptions {
  /** The devices with their profiles; each must be a member of the deployment's collection. */
  readonly devices: readonly FleetDevice[];
  /** Simulated period start and end (ms, UTC; finite). */
  readonly from: number;
  /** Simulated period end (finite, after `from`). */
  readonly until: number;
  /** Executor. Default: {@link createInProcessExecutor}. */
  readonly executor?: FleetExecutor;
  /** Client history (default: a new one). */
  readonly history?: ClientHistory;
  /** For available and debug deployments: minutes after availability when the user starts it (default 0). */
  readonly userStartDelayMinutes?: number;
  /** Instant of the first user logon/logoff, for logon and logoff assignments. */
  readonly logonAt?: number;
  /** Run-time variables given to every run (like a prestart command). */
  readonly variables?: Readonly<Record<string, string>>;
  /**
   * Start every run as MDT's `LiteTouch.wsf` does on its device (`liteTouchStart` of
   * `@taskseq/steps`: `PHASE`, `DeploymentType`, `DeploymentMethod`); a device it refuses fails
   * with the error (`InvalidSetting`).
   */
  readonly liteTouch?: boolean;
  /** Most runs of one device in the period (recurring assignments); default 100. */
  readonly maxRunsPerDevice?: number;
  /** Jobs per executor batch (default 256). */
  readonly batchSize?: number;
}

/** Options of {@link createInProcessExecutor}. */
export interface InProcessExecutorOptions {
  /** Step handlers (default: `createBuiltinHandlers()`). */
  readonly handlers?: StepHandlerRegistry;
  /** Runs at once, interleaving at each await (default 1: simulated runs do no real I/O, and one at a time is fastest). */
  readonly concurrency?: number;
  /** Works the debugger of debug jobs (default {@link quitDebugger}). */
  readonly debugDriver?: DebugDriver;
}

/**
 * The portable executor: runs each job in this thread with the engine, the built-in handlers and
 * a simulated device built from the job's profile.
 */
export function createInProcessExecutor(options: InProcessExecutorOptions = {}): FleetExecutor {
  const handlers = options.handlers ?? createBuiltinHandlers();
  const concurrency = Math.max(1, options.concurrency ?? 1);
  return async (jobs) => {
    const results: FleetJobResult[] = new Array<FleetJobResult>(jobs.length);
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < jobs.length) {
        const i = next++;
        results[i] = await runFleetJob(jobs[i] as FleetJob, handlers, options.debugDriver);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, lane));
    return results;
  };
}

/** Fleet runs report steps, not smsts.log: log lines are dropped (halves the engine's cost per run). */
const DISCARD_LOG: LogSink = { write: () => undefined };

/**
 * Runs one job with the engine on a simulated device (used by every executor). Profiles of
 * {@link createFleetDevices} are validated already. A debug job runs under the debugger, worked by
 * `debugDriver` (default {@link quitDebugger}).
 */
export async function runFleetJob(job: FleetJob, handlers: StepHandlerRegistry, debugDriver: DebugDriver = quitDebugger): Promise<FleetJobResult> {
  try {
    const device = createSimulatedDevice(job.profile, { validate: false });
    const engine = createEngine({ handlers, device, resolver: createMapResolver(job.children), logBias: 0, log: DISCARD_LOG });
    const options = job.liteTouch === true ? { ...job.runOptions, variables: (await liteTouchStart(device, job.runOptions.variables)).variables } : job.runOptions;
    const r = job.debug === true ? await debugDriver(engine.debug(job.sequence, options), job) : await engine.run(job.sequence, options);
    return { status: r.status, exitCode: r.exitCode, steps: r.steps, durationMs: r.durationMs, ...(r.error === undefined ? {} : { error: { code: r.error.code, message: r.error.message } }) };
  } catch (e) {
    const error = isTaskSeqError(e) ? { code: e.code, message: e.message } : { code: "InvalidOperation" as const, message: "The run failed unexpectedly." };
    return { status: "failed", exitCode: 1, steps: [], durationMs: 0, error };
  }
}

let builtins: StepHandlerRegistry | undefined;

/** {@link runFleetJob} with the built-in handlers (created once): the job function worker-thread executors call. */
export function runFleetJobWithBuiltins(job: FleetJob): Promise<FleetJobResult> {
  builtins ??= createBuiltinHandlers();
  return runFleetJob(job, builtins);
}

interface Planned {
  readonly fleet: FleetDevice;
  readonly start: number | undefined;
  readonly reason?: string;
}

/**
 * Runs a deployment on a fleet of simulated devices over simulated time: evaluates availability,
 * expiry, assignment schedules, rerun behaviour and maintenance windows per device, runs each
 * device's sequence with its collection and device variables, and records client history.
 *
 * @example
 * ```ts
 * const result = await runFleet(site, deployment.id, { devices, from: Date.parse("2026-03-01T00:00Z"), until: Date.parse("2026-03-08T00:00Z") });
 * console.log(result.summary, fleetMatrix(result));
 * ```
 */
export async function runFleet(site: Site, deploymentId: string, options: FleetOptions): Promise<FleetResult> {
  const deployment = site.deployment(deploymentId);
  const s = deployment.settings;
  const entry = site.library.get(s.taskSequence);
  const history = options.history ?? createClientHistory();
  const executor = options.executor ?? createInProcessExecutor();
  const members = new Set(site.directory.members(s.collection).map((m) => m.toUpperCase()));
  const outsider = options.devices.find((d) => !members.has(d.device.id.toUpperCase()));
  if (outsider !== undefined) throw new TaskSeqError("InvalidArgument", `Device ${outsider.device.id} is not a member of collection ${s.collection}.`);
  if (!Number.isFinite(options.from) || !Number.isFinite(options.until) || !(options.until > options.from)) {
    throw new TaskSeqError("InvalidArgument", "The simulated period must have a finite start and end, and end after it starts.");
  }
  site.contentFor(entry.packageId);
  const children = resolveChildren(site, entry);
  const maxRuns = options.maxRunsPerDevice ?? 100;
  if (!Number.isInteger(maxRuns) || maxRuns < 1) throw new TaskSeqError("InvalidArgument", `maxRunsPerDevice must be at least 1, got ${maxRuns}.`);
  const results = new Map<string, FleetDeviceResult>();
  let pending = options.devices.map((fleet) => ({ fleet, after: options.from, runs: 0 }));

  while (pending.length > 0) {
    const planned = pending.map((p) => ({ ...plan(site, deploymentId, entry, p.fleet, p.after, options, history), runs: p.runs }));
    for (const p of planned.filter((x) => x.start === undefined)) {
      const previous = results.get(p.fleet.device.id);
      if (previous === undefined) {
        history.add(p.fleet.device.id, { deployment: deploymentId, taskSequence: entry.packageId, kind: "not-started", at: options.from, reason: p.reason ?? "" });
        results.set(p.fleet.device.id, { deviceId: p.fleet.device.id, status: "not-started", runs: 0, steps: [], exitCode: 0, ...(p.reason === undefined ? {} : { reason: p.reason }) });
      }
    }
    const running = planned.filter((x): x is Planned & { start: number; runs: number } => x.start !== undefined);
    const next: typeof pending = [];
    const batch = Math.max(1, options.batchSize ?? 256);
    for (let i = 0; i < running.length; i += batch) {
      const slice = running.slice(i, i + batch);
      const jobs = slice.map((p) => job(site, deploymentId, entry, children, p.fleet, p.start, options, history));
      const out = await executor(jobs);
      slice.forEach((p, j) => {
        const r = out[j] as FleetJobResult;
        const id = p.fleet.device.id;
        history.add(id, { deployment: deploymentId, taskSequence: entry.packageId, kind: "run", at: p.start, status: r.status, ...(r.error === undefined ? {} : { reason: r.error.message }) });
        results.set(id, { deviceId: id, status: r.status, startedAt: p.start, runs: p.runs + 1, steps: r.steps, exitCode: r.exitCode, ...(r.error === undefined ? {} : { reason: r.error.message }) });
        if (s.purpose === "required" && p.runs + 1 < maxRuns) next.push({ fleet: p.fleet, after: p.start + Math.max(r.durationMs, 1), runs: p.runs + 1 });
      });
    }
    pending = next;
  }
  const devices = options.devices.map((d) => results.get(d.device.id) as FleetDeviceResult);
  const summary = { success: 0, failed: 0, "restart-pending": 0, "not-started": 0 };
  devices.forEach((d) => summary[d.status]++);
  return { deployment: deploymentId, taskSequence: entry.name, devices, summary };
}

/** When the device runs the deployment next (at or after `after`), or why it does not. */
function plan(site: Site, deploymentId: string, entry: LibraryEntry, fleet: FleetDevice, after: number, o: FleetOptions, history: ClientHistory): Planned {
  const s = site.deployment(deploymentId).settings;
  // The directory's record decides, as for the device's windows and variables (the fleet's copy may be older).
  const bias = site.directory.device(fleet.device.id).timeZoneBias ?? 0;
  const own = history.of(fleet.device.id).filter((r) => r.deployment === deploymentId && r.kind === "run");
  const last = own[own.length - 1]?.status;
  const previous = last === undefined ? undefined : last === "success" ? "success" : "failed";
  const availableAt = s.available === undefined ? o.from : toInstant(s.available, bias);
  const expiresAt = Math.min(s.expires === undefined ? Number.POSITIVE_INFINITY : toInstant(s.expires, bias), o.until);
  const none = (reason: string): Planned => ({ fleet, start: undefined, reason });
  if (!entry.enabled) return none(`${entry.name} is disabled on clients.`);
  const platform = profilePlatform(fleet.profile);
  const platforms = entry.properties.platforms;
  if (platforms !== undefined && platform !== undefined && !platforms.some((p) => p.toLowerCase() === platform.toLowerCase())) {
    return none(`${platform} is not one of the platforms ${entry.name} runs on (${platforms.join(", ")}).`);
  }
  if (s.purpose !== "required") {
    if (own.length > 0) return none("The user ran it already in this period.");
    const start = Math.max(availableAt, after) + (o.userStartDelayMinutes ?? 0) * 60_000;
    return start < expiresAt ? { fleet, start } : none("The deployment expired before the user started it.");
  }
  const candidates: number[] = [];
  for (const a of s.assignments ?? []) {
    if (a.type === "asap") candidates.push(availableAt);
    else if (a.type === "time") candidates.push(...occurrences(a.schedule, after, expiresAt, bias).slice(0, 64));
    else if (o.logonAt !== undefined) candidates.push(o.logonAt);
  }
  const due = [...new Set(candidates.map((t) => Math.max(t, availableAt)))].filter((t) => t >= after && t < expiresAt).sort((a, b) => a - b);
  if (due.length === 0) return none(own.length > 0 ? "No later assignment in the period." : "No assignment falls in the period before the deployment expires.");
  if (!mayRun(s.rerun ?? "always", previous)) return none(`Rerun behaviour ${s.rerun ?? "always"} does not rerun after a previous ${previous ?? "run"}.`);
  const windows = maintenanceWindowsApply(s) ? site.directory.maintenanceWindowsFor(fleet.device.id) : [];
  const decision = earliestStart(windows, due[0] as number, expiresAt, entry.properties.maxRunTimeMinutes, bias);
  return decision.start === undefined ? none(decision.reason) : { fleet, start: decision.start };
}

function job(site: Site, deploymentId: string, entry: LibraryEntry, children: readonly ResolvedTaskSequence[], fleet: FleetDevice, start: number, o: FleetOptions, history: ClientHistory): FleetJob {
  const s = site.deployment(deploymentId).settings;
  const runFirst = entry.properties.runFirst;
  if (runFirst !== undefined) {
    const ranBefore = history.of(fleet.device.id).some((r) => r.kind === "run-first-program" && r.reason === `${runFirst.packageId}:${runFirst.program}`);
    if (runFirst.alwaysRun || !ranBefore) history.add(fleet.device.id, { deployment: deploymentId, taskSequence: entry.packageId, kind: "run-first-program", at: start, reason: `${runFirst.packageId}:${runFirst.program}` });
  }
  const required = s.purpose === "required";
  const stop = required && s.userExperience?.allowUserRunIndependently !== true;
  const option = s.deploymentOption ?? "download-on-demand";
  return {
    deviceId: fleet.device.id,
    sequence: entry.sequence,
    children,
    profile: { ...fleet.profile, clock: { start: new Date(start).toISOString() } },
    runOptions: {
      packageId: entry.packageId,
      deploymentId,
      runId: `${deploymentId}-${fleet.device.id}-${start}`,
      variables: { ...site.directory.variablesFor(fleet.device.id), ...(o.variables === undefined ? {} : { runtime: o.variables }) },
      maxRunTimeMinutes: entry.properties.maxRunTimeMinutes,
      maxRunTimeEnforcement: stop ? "stop" : "monitorOnly",
      existingState: "discard",
      userStarted: !required,
      site: { siteCode: site.siteCode, downloadOnDemand: option === "download-on-demand", runFromDistributionPoint: option === "run-from-dp" },
    },
    ...(s.purpose === "debug" ? { debug: true } : {}),
    ...(o.liteTouch === true ? { liteTouch: true } : {}),
  };
}

function resolveChildren(site: Site, entry: LibraryEntry): ResolvedTaskSequence[] {
  const out = new Map<string, ResolvedTaskSequence>();
  const visit = (e: LibraryEntry): void => {
    for (const id of childPackageIds(e.sequence)) {
      const child = site.library.get(id);
      if (out.has(child.packageId)) continue;
      out.set(child.packageId, { packageId: child.packageId, name: child.name, sequence: child.sequence, disabled: !child.enabled });
      visit(child);
    }
  };
  visit(entry);
  return [...out.values()];
}
