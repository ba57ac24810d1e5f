// Messages between the app in a VS Code webview and the panel host, beyond the route calls (those are the shared
// client's `api.request`/`api.response`). The panel host (src/vscode) implements the other end; these types belong in
// src/shared next to BridgeRequest so both ends import them.

/** Webview → extension host. */
export type ToHost =
  /** Open a push channel at a documented WebSocket path (`/ws`, `/ws/metrics`, `/api/pod/terminal`,
   *  `/api/local/terminal` is browser-only, `/api/execution/stream`) or a streamed response (`/api/pod/logs` with
   *  follow=true: one message per NDJSON line). Params are the route's query parameters. */
  | { type: 'stream.open'; streamId: number; path: string; params: Record<string, string> }
  /** One text frame to the channel (terminal stdin, `/ws` subscribe). */
  | { type: 'stream.send'; streamId: number; data: string }
  | { type: 'stream.close'; streamId: number }
  /** The app has loaded and listens; the host may answer with `app.navigate`. */
  | { type: 'app.ready'; page?: string }
  /** Save a file the user exported (CSV, logs) through the editor's save dialog. */
  | { type: 'app.saveFile'; name: string; content: string; mime: string };

/** Extension host → webview. */
export type FromHost =
  | { type: 'stream.opened'; streamId: number }
  /** One text frame from the channel, exactly what the WebSocket would carry. */
  | { type: 'stream.message'; streamId: number; data: string }
  | { type: 'stream.closed'; streamId: number; code?: number; reason?: string }
  /** Show a page (the extension's commands open the panel on a page: incidents, a pod's logs...). */
  | { type: 'app.navigate'; page: string; params?: Record<string, string> };
