// `kubegraf web`: the dashboard server. Until the server lands (issue 4) it says so plainly.
export async function web(_argv: string[]): Promise<void> {
  process.stderr.write('kubegraf web: the dashboard server is not built yet; run `kubegraf sim --scenario demo` for the demo cluster.\n');
  process.exit(2);
}
