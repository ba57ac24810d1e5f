// What `kubegraf --help`, `kubegraf sim --help` and `kubegraf web --help` print. A leaf module: both commands'
// parsers read it, and neither pulls the other's code in to print a line of help.

export const SIM_USAGE =
  'kubegraf sim [--port N] [--scenario demo|empty|scale] [--pods N] [--nodes N] [--kube-minor 30] [--kubeconfig-out FILE] [--speed X]';
export const WEB_USAGE =
  'kubegraf web [--port N] [--host 127.0.0.1] [--kubeconfig FILE] [--context NAME] [--demo] [--data-dir DIR] [--no-open] [--tls-cert FILE --tls-key FILE]';

export const USAGE = `usage:\n  ${SIM_USAGE}\n  ${WEB_USAGE}\n\nkubegraf sim --help and kubegraf web --help describe each option.`;

export const SIM_HELP = `usage: ${SIM_USAGE}

Starts a simulated Kubernetes API server (HTTPS on 127.0.0.1) that kubectl and client libraries talk to unchanged,
writes a kubeconfig with the contexts kubegraf-sim (admin) and kubegraf-sim-viewer (read-only), prints one JSON line
{"event":"ready","server":"https://127.0.0.1:PORT","kubeconfig":"FILE"} and runs until Ctrl+C (SIGINT) or SIGTERM.

  --port N             port to listen on; 0 (the default) picks a free one, printed in the ready line
  --scenario NAME      demo (the default: workloads, incidents, integrations), empty, or scale (--pods/--nodes)
  --pods N, --nodes N  size of the scale scenario
  --kube-minor M       the Kubernetes minor version /version reports (default 30)
  --kubeconfig-out F   where to write the kubeconfig (default: a new temporary file)
  --speed X            run simulated time X times faster (controllers, logs, metrics)
`;

export const WEB_HELP = `usage: ${WEB_USAGE}

Serves the KubeGraf dashboard and API, prints one JSON line {"event":"ready","url":"…/?token=T","token":"T"}, opens
the URL in a browser, and runs until Ctrl+C (SIGINT) or SIGTERM, which save the database and stop cleanly.

  --port N               port to listen on; 0 (the default) picks a free one, printed in the ready line
  --host ADDR            address to bind (default 127.0.0.1). Any non-loopback address needs --tls-cert and
                         --tls-key, and turns on user accounts
  --tls-cert FILE        PEM certificate for HTTPS (with --tls-key)
  --tls-key FILE         PEM private key for HTTPS (with --tls-cert)
  --kubeconfig FILE      kubeconfig to read (default: $KUBECONFIG, else ~/.kube/config)
  --context NAME         context to connect (default: the kubeconfig's current context)
  --demo                 serve the built-in simulated demo cluster (also used when no context is usable)
  --data-dir DIR         where settings, the incident database and its backups live (default ~/.kubegraf)
  --no-open              do not open a browser
`;
