// One app, two faces: a Transport is how the app reaches the engines. Pages never know which one they use.
import type { ChannelId, Transport as RequestTransport } from '../../../src/shared/client';

export type ChannelState = 'connecting' | 'open' | 'closed';

export interface ChannelHandlers {
  onMessage: (data: string) => void;
  onState?: (state: ChannelState, reason?: string) => void;
}

/** A push channel (WebSocket in the browser, a bridged stream in VS Code). */
export interface Channel {
  send(data: string): void;
  close(): void;
}

/** The shared client's transport (route calls) plus what a page needs beyond request/response. */
export interface Transport extends RequestTransport {
  readonly face: 'browser' | 'vscode';
  /**
   * Opens a push channel by route id: a `socket` route (a WebSocket in a browser tab) or a `stream` route (a long
   * NDJSON answer read line by line, `pod.logs` with follow=true). In VS Code both travel over the panel's bridge.
   */
  channel(id: ChannelId, params: Record<string, string>, handlers: ChannelHandlers): Channel;
  /** Hands a file to the user (browser download; VS Code save dialog). */
  saveFile(name: string, content: string, mime: string): void;
}
