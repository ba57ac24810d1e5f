// One end of a `socket` route, as its handler sees it: text frames both ways, then a close. Handlers (engines in
// core included) talk to this, never to a transport: the HTTP server hands them its WebSockets, which fit as they
// are, and the VS Code webview bridge a channel whose frames travel as postMessage messages.

/** A frame as it arrives: a Buffer from a WebSocket, a string from the bridge; `String(frame)` is its text. */
export type SocketFrame = { toString(): string };

export interface SocketPeer {
  /** `OPEN` while frames can be sent. */
  readonly readyState: number;
  readonly OPEN: number;
  /** One text frame to the other end (dropped once the channel closed). */
  send(text: string): void;
  /** Ends the channel from this side. */
  close(code?: number, reason?: string): void;
  on(event: 'message', listener: (frame: SocketFrame) => void): unknown;
  on(event: 'close' | 'error', listener: () => void): unknown;
  once(event: 'close', listener: () => void): unknown;
  off(event: 'message', listener: (frame: SocketFrame) => void): unknown;
}
