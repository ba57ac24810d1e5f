// Runbooks shipped with the product, one per incident type. Users may edit them; edits live in the store and win.
import type { IncidentType, Runbook } from '../../shared/incidents';
import { KubeError } from '../kube/errors';
import type { KubeGrafStore } from '../store/store';

type Shipped = Omit<Runbook, 'type' | 'edited' | 'updatedAt'>;

const rb = (title: string, summary: string, steps: string[], commands: string[]): Shipped => ({
  title,
  summary,
  steps,
  commands,
});

export const SHIPPED_RUNBOOKS: Record<IncidentType, Shipped> = {
  pod_crash_loop: rb(
    'Crash-looping container',
    'The container exits soon after starting and the kubelet backs off restarting it.',
    [
      'Read the previous container logs: the last lines usually name the error.',
      'Check the exit code: 1 is an application error, 137 a kill (often OOM), 139 a segfault.',
      'Compare with the last change (image, config, secret): roll back if it started with it.',
      'Check required config and dependencies (databases, secrets) are reachable.',
    ],
    ['kubectl logs POD -c CONTAINER --previous', 'kubectl describe pod POD', 'kubectl rollout undo deployment/NAME'],
  ),
  oom_killed: rb(
    'Container OOMKilled',
    'The container used more memory than its limit and the kernel killed it.',
    [
      'Compare the observed peak with the limit (OOM insights).',
      'Raise the limit above the peak with headroom, or fix the leak.',
      'Watch memory after the change.',
    ],
    ['kubectl top pod POD --containers', 'kubectl set resources deployment/NAME -c CONTAINER --limits=memory=NEW'],
  ),
  image_pull_error: rb(
    'Image cannot be pulled',
    'The kubelet cannot pull the image: wrong tag or repository, or no credentials.',
    [
      'Check the image name and tag exist in the registry.',
      'Check imagePullSecrets for private registries.',
      'Set the image back to the last one that ran, or roll back.',
    ],
    ['kubectl describe pod POD', 'kubectl set image deployment/NAME CONTAINER=IMAGE'],
  ),
  invalid_image: rb(
    'Invalid image name',
    'The image reference does not parse.',
    ['Fix the image reference (registry/repository:tag).'],
    ['kubectl set image deployment/NAME CONTAINER=IMAGE'],
  ),
  container_config_error: rb(
    'Container config error',
    'The container cannot be configured: usually a missing ConfigMap/Secret key.',
    ['Read the waiting message: it names the missing object or key.', 'Create the object/key or fix the reference.'],
    ['kubectl describe pod POD'],
  ),
  container_create_error: rb(
    'Container create error',
    'The runtime failed to create the container.',
    ['Read the message; check volumes, security context and the image entrypoint.'],
    ['kubectl describe pod POD'],
  ),
  run_container_error: rb(
    'Run container error',
    'The runtime created the container but could not start it.',
    ['Check the command/entrypoint exists in the image and permissions.'],
    ['kubectl describe pod POD'],
  ),
  lifecycle_hook_failed: rb(
    'Lifecycle hook failed',
    'A postStart or preStop hook failed.',
    ['Check the hook command and its timeout.'],
    ['kubectl describe pod POD'],
  ),
  sandbox_create_failed: rb(
    'Pod sandbox creation failed',
    'The runtime could not create the pod sandbox (CNI/network usually).',
    ['Check the CNI plugin pods on the node.', 'Check the node has free IPs.'],
    ['kubectl get pods -n kube-system -o wide', 'kubectl describe node NODE'],
  ),
  volume_mount_failed: rb(
    'Volume mount failed',
    'A volume cannot be attached or mounted.',
    ['Read the FailedMount event; check the PVC is Bound and the Secret/ConfigMap exists.'],
    ['kubectl describe pod POD', 'kubectl get pvc -n NS'],
  ),
  pod_unschedulable: rb(
    'Pod unschedulable',
    'No node fits the pod.',
    [
      'Read the scheduler message: resources, taints, affinity or selectors.',
      'Lower the requests, add capacity, or fix selectors/tolerations.',
    ],
    ['kubectl describe pod POD', 'kubectl describe nodes'],
  ),
  pod_evicted: rb(
    'Pod evicted',
    'The kubelet evicted the pod under node pressure.',
    ['Check the node conditions; delete evicted pods once understood.'],
    ['kubectl get pods --field-selector=status.phase=Failed -A'],
  ),
  pod_failed: rb(
    'Pod failed',
    'A pod ended in phase Failed.',
    ['Read its logs and events.'],
    ['kubectl logs POD', 'kubectl describe pod POD'],
  ),
  readiness_probe_failed: rb(
    'Readiness probe failing',
    'The container runs but is not ready, so it gets no traffic.',
    [
      'Read the Unhealthy events; call the probe endpoint from inside the pod.',
      'Check dependencies the readiness endpoint checks.',
    ],
    ['kubectl describe pod POD', 'kubectl exec POD -- wget -qO- localhost:PORT/ready'],
  ),
  high_restart_count: rb(
    'High restart count',
    'The container keeps restarting though it runs now.',
    ['Read previous logs; check for OOM and liveness probe kills.'],
    ['kubectl logs POD --previous'],
  ),
  pod_stuck_terminating: rb(
    'Pod stuck terminating',
    'The pod was deleted but is still there.',
    ['If its node is down, force-delete the pod.', 'Otherwise check finalizers.'],
    ['kubectl delete pod POD --grace-period=0 --force'],
  ),
  missing_config_reference: rb(
    'Missing ConfigMap or Secret',
    'The pod refers to an object that does not exist.',
    ['Create the ConfigMap/Secret, or fix the reference, or mark it optional.'],
    ['kubectl get configmap,secret -n NS'],
  ),
  node_not_ready: rb(
    'Node NotReady',
    'The node stopped reporting or reports itself not ready.',
    [
      'Cordon the node so nothing new lands there.',
      'Check the machine, kubelet and container runtime.',
      'Drain it once workloads can move; force-delete pods stuck terminating on it.',
    ],
    ['kubectl cordon NODE', 'kubectl describe node NODE', 'kubectl drain NODE --ignore-daemonsets'],
  ),
  node_pressure: rb(
    'Node under pressure',
    'The node reports memory, disk or PID pressure.',
    ['Find the heaviest pods on the node; free disk (images, logs).'],
    ['kubectl describe node NODE', 'kubectl top pods -A --sort-by=memory'],
  ),
  rollout_stuck: rb(
    'Rollout stuck',
    'The new revision does not become available before the progress deadline.',
    [
      'Look at the new ReplicaSet pods: image pulls, crashes, probes.',
      'Roll back to the last good revision, then fix forward.',
    ],
    ['kubectl rollout status deployment/NAME', 'kubectl rollout undo deployment/NAME'],
  ),
  replicas_unavailable: rb(
    'Replicas unavailable',
    'Fewer pods are available than desired.',
    ['Find the unavailable pods and their reason (scheduling, crashes, probes).'],
    ['kubectl get pods -l SELECTOR', 'kubectl describe deployment NAME'],
  ),
  job_failed: rb(
    'Job failed',
    'The job reached its backoff limit or deadline.',
    ['Read the failed pods logs.', 'Fix and re-run (delete and recreate the Job).'],
    ['kubectl logs job/NAME', 'kubectl describe job NAME'],
  ),
  cronjob_failing: rb(
    'CronJob failing',
    'The last scheduled run failed.',
    ['Read the failed job pod logs.'],
    ['kubectl get jobs -n NS', 'kubectl logs job/NAME'],
  ),
  cronjob_suspended: rb(
    'CronJob suspended',
    'The CronJob does not run while suspended.',
    ['Confirm the suspension is intended; resume it if not.'],
    ['kubectl patch cronjob NAME -p \'{"spec":{"suspend":false}}\''],
  ),
  service_no_endpoints: rb(
    'Service without endpoints',
    'The Service selects no ready pod: requests fail.',
    ['Compare the selector with the pod labels.', 'Check the workload exists and is scaled above zero and ready.'],
    ['kubectl get endpoints NAME', 'kubectl get pods -l SELECTOR'],
  ),
  ingress_missing_service: rb(
    'Ingress to a missing Service',
    'A backend Service of the ingress does not exist.',
    ['Create the Service or fix the backend name.'],
    ['kubectl describe ingress NAME'],
  ),
  pvc_pending: rb(
    'PVC pending',
    'The claim is not bound.',
    [
      'Check the StorageClass exists and its provisioner runs.',
      'For static binding, check a PV matches size and access modes.',
    ],
    ['kubectl describe pvc NAME', 'kubectl get storageclass'],
  ),
  pvc_lost: rb(
    'PVC lost',
    'The bound PersistentVolume is gone.',
    ['Restore the PV from backup, or recreate the claim.'],
    ['kubectl describe pvc NAME'],
  ),
  hpa_at_max: rb(
    'Autoscaler at maximum',
    'Load needs more replicas than maxReplicas.',
    ['Raise maxReplicas if the cluster has room, or make the workload cheaper.'],
    ['kubectl describe hpa NAME'],
  ),
  hpa_unable_to_scale: rb(
    'Autoscaler cannot scale',
    'The HPA cannot read its target or metrics.',
    ['Check metrics-server and the target reference.'],
    ['kubectl describe hpa NAME'],
  ),
  pdb_no_disruptions: rb(
    'PDB allows no disruptions',
    'Evicting any pod would break the budget: drains hang.',
    ['Run more replicas than minAvailable, or relax the budget.'],
    ['kubectl get pdb -A'],
  ),
  certificate_expiring: rb(
    'TLS certificate expiring or expired',
    "A kubernetes.io/tls Secret's certificate is within days of its notAfter, or past it: clients will refuse it.",
    [
      'See who issued it: a Secret annotated cert-manager.io/certificate-name belongs to a cert-manager Certificate.',
      "cert-manager: read the Certificate's Ready and Issuing conditions and its latest CertificateRequest; fix the issuer, then renew it.",
      'Not cert-manager: issue a new certificate for the same names and replace tls.crt and tls.key in the Secret.',
      'Check that the Ingress or pods using the Secret picked up the new certificate.',
    ],
    [
      'kubectl get secret NAME -n NS -o jsonpath="{.data.tls\\.crt}" | base64 -d | openssl x509 -noout -subject -enddate',
      'kubectl describe certificate NAME -n NS',
      'cmctl renew NAME -n NS',
    ],
  ),
};

type RunbookStore = Pick<KubeGrafStore, 'runbookEdit' | 'saveRunbook' | 'resetRunbook'>;

/** The user's edit of a type's runbook, else the shipped one. */
export function runbookFor(store: RunbookStore, type: IncidentType): Runbook {
  const edit = store.runbookEdit(type);
  if (edit) return edit;
  const s = SHIPPED_RUNBOOKS[type];
  if (!s) throw new KubeError('notFound', `no runbook for incident type "${type}"`);
  return { type, ...s, edited: false };
}

export function allRunbooks(store: RunbookStore): Runbook[] {
  return (Object.keys(SHIPPED_RUNBOOKS) as IncidentType[]).map((t) => runbookFor(store, t));
}

export async function editRunbook(store: RunbookStore, r: Omit<Runbook, 'edited' | 'updatedAt'>): Promise<Runbook> {
  if (!SHIPPED_RUNBOOKS[r.type]) throw new KubeError('notFound', `no runbook for incident type "${r.type}"`);
  const full: Runbook = { ...r, edited: true, updatedAt: new Date().toISOString() };
  await store.saveRunbook(full);
  return full;
}

/** Drops the user's edit: the shipped runbook again. */
export async function resetRunbook(store: RunbookStore, type: IncidentType): Promise<Runbook> {
  if (!SHIPPED_RUNBOOKS[type]) throw new KubeError('notFound', `no runbook for incident type "${type}"`);
  await store.resetRunbook(type);
  return runbookFor(store, type);
}
