// The colour a status word gets, in tables and in the details drawer alike.
const STATUS_TONE: Record<string, 'ok' | 'warn' | 'danger' | 'muted'> = {
  Running: 'ok',
  Ready: 'ok',
  Active: 'ok',
  Bound: 'ok',
  Complete: 'ok',
  Succeeded: 'ok',
  Available: 'ok',
  Pending: 'warn',
  ContainerCreating: 'warn',
  Terminating: 'warn',
  'Ready,SchedulingDisabled': 'warn',
  Failed: 'danger',
  CrashLoopBackOff: 'danger',
  Error: 'danger',
  OOMKilled: 'danger',
  ImagePullBackOff: 'danger',
  ErrImagePull: 'danger',
  NotReady: 'danger',
  Lost: 'danger',
};

export const statusTone = (s: string): 'ok' | 'warn' | 'danger' | 'muted' =>
  STATUS_TONE[s] ?? (/Err|Fail|BackOff|Kill/i.test(s) ? 'danger' : /Pending|Creating|Init/i.test(s) ? 'warn' : 'muted');
