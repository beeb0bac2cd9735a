import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

/** How a service process ended. `expected` is false for every exit the suite did not ask for: a crash. */
export interface Exit {
  service: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  expected: boolean;
  /** The last lines it wrote, for the report of a crash. */
  lastLines: string[];
}

const KEPT_LINES = 60;

/**
 * One service as its own process (`node --import tsx <entry>`), as production runs it. Resolves once
 * a line of its output matches `ready`; `urlOf` reads its address from that line. Its output is read
 * to the end, so a busy service never blocks on a full pipe, and the last lines are kept.
 */
export class ServiceProcess {
  /** Every exit, in order: the suite asserts there is no unexpected one. */
  static readonly exits: Exit[] = [];
  child!: ChildProcess;
  url!: string;
  private lines: string[] = [];
  private expectingExit = false;

  constructor(
    readonly name: string,
    private readonly entry: string,
    private env: Record<string, string>,
    private readonly ready: (line: string) => string | undefined,
  ) {}

  /** Starts (again); `port` pins the port a restart must come back on. */
  async start(extraEnv: Record<string, string> = {}): Promise<string> {
    this.env = { ...this.env, ...extraEnv };
    this.expectingExit = false;
    const child = spawn(process.execPath, ['--import', 'tsx', this.entry], { env: { ...process.env, ...this.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    const exited = once(child, 'exit').then(([code, signal]) => {
      ServiceProcess.exits.push({ service: this.name, code, signal, expected: this.expectingExit, lastLines: this.lines.slice() });
      return Promise.reject(new Error(`${this.name} exited with ${code ?? signal} before it was ready:\n${this.lines.join('\n')}`));
    });
    exited.catch(() => undefined);
    const keep = (line: string) => {
      this.lines.push(line);
      if (this.lines.length > KEPT_LINES) this.lines.shift();
    };
    createInterface({ input: child.stderr! }).on('line', keep);
    const ready = new Promise<string>((resolve) => {
      createInterface({ input: child.stdout! }).on('line', (line) => {
        keep(line);
        const url = this.ready(line);
        if (url) resolve(url);
      });
    });
    this.url = await Promise.race([ready, exited]);
    return this.url;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Sends `signal` and waits for the exit, which counts as expected. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (!this.running) return { code: this.child.exitCode, signal: this.child.signalCode };
    this.expectingExit = true;
    const exited = once(this.child, 'exit');
    this.child.kill(signal);
    const [code, exitSignal] = (await exited) as [number | null, NodeJS.Signals | null];
    return { code, signal: exitSignal };
  }

  /** Lines of its output that match, from the last KEPT_LINES. */
  recentLines(match: RegExp): string[] {
    return this.lines.filter((line) => match.test(line));
  }
}

/** The url field of a JSON log line whose msg is `message`. */
export const loggedUrl = (message: string) => (line: string) => {
  if (!line.includes(`"${message}"`)) return undefined;
  return (JSON.parse(line) as { url?: string }).url;
};
