// Executions: a fix being applied, with output lines that stream to subscribers and a record kept in the store.
import { randomUUID } from 'node:crypto';
import type { Execution, ExecutionStreamMessage, FixVerification, ObjectRef, UndoInfo } from '../../shared/incidents';
import { OUTCOME_WORDS } from '../../shared/incidents';
import { Emitter } from '../kube/emitter';
import type { KubeGrafStore } from '../store/store';

export interface ExecutionEvents extends Record<string, unknown> {
  message: ExecutionStreamMessage;
}

export class Executions {
  readonly events = new Emitter<ExecutionEvents>();
  private readonly live = new Map<string, Execution>();

  constructor(private readonly store: KubeGrafStore) {}

  async start(o: {
    context: string;
    action: string;
    incidentId?: string;
    fixId?: string;
    target?: ObjectRef;
    initiator: Execution['initiator'];
  }): Promise<Execution> {
    const e: Execution = {
      id: `exec-${randomUUID()}`,
      context: o.context,
      action: o.action,
      status: 'running',
      initiator: o.initiator,
      startedAt: new Date().toISOString(),
      output: [],
      summary: { duration: 0, exitCode: null, resourcesChanged: 0 },
    };
    if (o.incidentId) e.incidentId = o.incidentId;
    if (o.fixId) e.fixId = o.fixId;
    if (o.target) e.target = o.target;
    this.live.set(e.id, e);
    await this.store.saveExecution(e);
    this.events.emit('message', { type: 'started', execution: structuredClone(e) });
    return e;
  }

  line(e: Execution, line: string, stream: 'stdout' | 'stderr' = 'stdout'): void {
    const time = new Date().toISOString();
    e.output.push({ time, stream, line });
    this.events.emit('message', { type: 'output', executionId: e.id, time, stream, line });
  }

  async finish(
    e: Execution,
    ok: boolean,
    o: { resourcesChanged?: number; error?: string; undo?: UndoInfo } = {},
  ): Promise<Execution> {
    e.status = ok ? 'succeeded' : 'failed';
    e.finishedAt = new Date().toISOString();
    e.summary = {
      duration: Date.parse(e.finishedAt) - Date.parse(e.startedAt),
      exitCode: ok ? 0 : 1,
      resourcesChanged: o.resourcesChanged ?? 0,
    };
    if (o.error) e.error = o.error;
    if (o.undo) e.undo = o.undo;
    await this.store.saveExecution(e);
    this.live.delete(e.id);
    const msg: ExecutionStreamMessage = { type: 'status', executionId: e.id, status: e.status, summary: e.summary };
    if (e.error) msg.error = e.error;
    this.events.emit('message', msg);
    return e;
  }

  /** Adds a fix's verdict to its (finished) execution's history: its lines, the evidence, the next steps. */
  async verified(e: Execution, v: FixVerification): Promise<Execution> {
    const words = OUTCOME_WORDS[v.outcome];
    this.line(
      e,
      `verify: ${words}. ${v.summary}`,
      v.outcome === 'did_not_help' || v.outcome === 'made_worse' ? 'stderr' : 'stdout',
    );
    for (const ev of v.evidence.slice(0, 5))
      this.line(e, `  evidence: ${ev.time ? `${ev.time.slice(11, 19)} ` : ''}${ev.message}`, 'stderr');
    for (const n of v.nextSteps) this.line(e, `  next step: ${n.label}`);
    e.verification = v;
    await this.store.saveExecution(e);
    this.events.emit('message', { type: 'verification', executionId: e.id, verification: v });
    return e;
  }

  get(id: string): Execution | undefined {
    return this.live.get(id) ?? this.store.execution(id);
  }

  list(q: { context?: string; incidentId?: string; limit?: number } = {}): Execution[] {
    const stored = this.store.executions(q);
    return stored.map((s) => this.live.get(s.id) ?? s);
  }
}
