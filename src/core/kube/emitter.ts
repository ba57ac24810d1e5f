// A tiny typed event hub: engines emit, faces subscribe and get an unsubscribe function back.

export class Emitter<Events extends Record<string, unknown>> {
  private readonly handlers = new Map<keyof Events, Set<(e: never) => void>>();

  on<K extends keyof Events>(event: K, fn: (e: Events[K]) => void): () => void {
    let s = this.handlers.get(event);
    if (!s) this.handlers.set(event, (s = new Set()));
    s.add(fn as (e: never) => void);
    return () => s!.delete(fn as (e: never) => void);
  }

  emit<K extends keyof Events>(event: K, e: Events[K]): void {
    const s = this.handlers.get(event);
    if (!s) return;
    for (const fn of [...s]) {
      try {
        (fn as (e: Events[K]) => void)(e);
      } catch {
        // A face's listener failing must not break the engine or the other listeners.
      }
    }
  }

  listenerCount(event: keyof Events): number {
    return this.handlers.get(event)?.size ?? 0;
  }
}
