// Typed views of the objects the cache holds. The cache keeps server JSON as is, so these are client-node's model
// types as they arrive on the wire: timestamps are RFC 3339 strings, not the Date objects client-node's
// deserializer would make. Code that knows the kind narrows a KObject to its view (`o as Pod`); code that does not
// reads spec and status as unknown JSON and checks what it finds.
import type * as k8s from '@kubernetes/client-node';
import type { KObject } from './descriptors';

/** A client-node model as JSON: Date fields are strings, recursively. */
export type Wire<T> = T extends Date
  ? string
  : T extends (infer U)[]
    ? Wire<U>[]
    : T extends object
      ? { [K in keyof T]: Wire<T[K]> }
      : T;

/** A KObject whose spec and status have the model's shapes. */
type View<M extends { spec?: unknown; status?: unknown }> = KObject<
  Wire<NonNullable<M['spec']>>,
  Wire<NonNullable<M['status']>>
>;

export type Pod = View<k8s.V1Pod>;
export type Container = Wire<k8s.V1Container>;
export type PodTemplate = Wire<k8s.V1PodTemplateSpec>;
export type Deployment = View<k8s.V1Deployment>;
export type ReplicaSet = View<k8s.V1ReplicaSet>;
export type StatefulSet = View<k8s.V1StatefulSet>;
export type DaemonSet = View<k8s.V1DaemonSet>;
export type Job = View<k8s.V1Job>;
export type CronJob = View<k8s.V1CronJob>;
export type Service = View<k8s.V1Service>;
export type Ingress = View<k8s.V1Ingress>;
export type Node = View<k8s.V1Node>;
export type Namespace = View<k8s.V1Namespace>;
export type PersistentVolumeClaim = View<k8s.V1PersistentVolumeClaim>;
export type PersistentVolume = View<k8s.V1PersistentVolume>;
export type HorizontalPodAutoscaler = View<k8s.V2HorizontalPodAutoscaler>;
export type NetworkPolicy = View<k8s.V1NetworkPolicy>;
export type PodDisruptionBudget = View<k8s.V1PodDisruptionBudget>;

/** Kinds without spec/status: their fields sit at the top level. */
export type Secret = KObject & Wire<Pick<k8s.V1Secret, 'data' | 'stringData' | 'type' | 'immutable'>>;
export type ConfigMap = KObject & Wire<Pick<k8s.V1ConfigMap, 'data' | 'binaryData' | 'immutable'>>;
export type KEvent = KObject & Wire<Omit<k8s.CoreV1Event, 'apiVersion' | 'kind' | 'metadata'>>;
export type ServiceAccount = KObject &
  Wire<Pick<k8s.V1ServiceAccount, 'secrets' | 'imagePullSecrets' | 'automountServiceAccountToken'>>;
export type Role = KObject & Wire<Pick<k8s.V1Role, 'rules'>>;
export type RoleBinding = KObject & Wire<Pick<k8s.V1RoleBinding, 'roleRef' | 'subjects'>>;
export type Endpoints = KObject & Wire<Pick<k8s.V1Endpoints, 'subsets'>>;
export type StorageClass = KObject &
  Wire<Pick<k8s.V1StorageClass, 'provisioner' | 'reclaimPolicy' | 'volumeBindingMode' | 'allowVolumeExpansion'>>;
export type VolumeAttachment = View<k8s.V1VolumeAttachment>;
export type ClusterRoleBinding = KObject & Wire<Pick<k8s.V1ClusterRoleBinding, 'roleRef' | 'subjects'>>;

// Custom resources KubeGraf reads (the fields it reads), as their projects' APIs serve them.
interface ArgoSource {
  repoURL?: string;
  path?: string;
  chart?: string;
  targetRevision?: string;
}
/** An Argo CD Application (argoproj.io/v1alpha1). */
export type ArgoApplication = KObject<
  {
    project?: string;
    source?: ArgoSource;
    sources?: ArgoSource[];
    destination?: { server?: string; name?: string; namespace?: string };
    syncPolicy?: { automated?: { prune?: boolean; selfHeal?: boolean; enabled?: boolean }; syncOptions?: string[] };
  },
  {
    sync?: { status?: string; revision?: string };
    health?: { status?: string; message?: string };
    operationState?: ArgoOperationState;
    resources?: Array<{
      group?: string;
      version?: string;
      kind: string;
      namespace?: string;
      name: string;
      status?: string;
      health?: { status?: string; message?: string };
      requiresPruning?: boolean;
    }>;
    history?: Array<{
      id: number;
      revision?: string;
      deployedAt?: string;
      deployStartedAt?: string;
      source?: ArgoSource;
      initiatedBy?: { username?: string; automated?: boolean };
    }>;
    conditions?: Array<{ type: string; message?: string }>;
    reconciledAt?: string;
  }
> & { operation?: ArgoOperationRequest };

export interface ArgoOperationRequest {
  sync?: {
    revision?: string;
    prune?: boolean;
    dryRun?: boolean;
    source?: ArgoSource;
    syncStrategy?: Record<string, unknown>;
    syncOptions?: string[];
  };
  initiatedBy?: { username?: string; automated?: boolean };
  [k: string]: unknown;
}

export interface ArgoOperationState {
  operation?: ArgoOperationRequest;
  phase?: string;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
  syncResult?: {
    revision?: string;
    source?: ArgoSource;
    resources?: Array<{
      group?: string;
      kind: string;
      namespace?: string;
      name: string;
      status?: string;
      message?: string;
      syncPhase?: string;
      hookPhase?: string;
    }>;
  };
}

interface KServeModel {
  modelFormat?: { name?: string };
  runtime?: string;
  storageUri?: string;
  protocolVersion?: string;
}
/** A KServe InferenceService (serving.kserve.io/v1beta1). */
export type InferenceService = KObject<
  { predictor?: { model?: KServeModel; protocolVersion?: string; minReplicas?: number } },
  {
    url?: string;
    address?: { url?: string };
    conditions?: Array<{
      type: string;
      status: string;
      reason?: string;
      message?: string;
      lastTransitionTime?: string;
    }>;
    clusterServingRuntimeName?: string;
    servingRuntimeName?: string;
    modelStatus?: {
      states?: { activeModelState?: string };
      lastFailureInfo?: { reason?: string; message?: string };
    };
    deploymentMode?: string;
  }
>;

/** The typed view of each kind id (`plural.group`) that code reads by id; other kinds stay plain KObjects. */
export interface Views {
  pods: Pod;
  'deployments.apps': Deployment;
  'replicasets.apps': ReplicaSet;
  'statefulsets.apps': StatefulSet;
  'daemonsets.apps': DaemonSet;
  'jobs.batch': Job;
  'cronjobs.batch': CronJob;
  services: Service;
  'ingresses.networking.k8s.io': Ingress;
  nodes: Node;
  namespaces: Namespace;
  persistentvolumeclaims: PersistentVolumeClaim;
  persistentvolumes: PersistentVolume;
  'horizontalpodautoscalers.autoscaling': HorizontalPodAutoscaler;
  'networkpolicies.networking.k8s.io': NetworkPolicy;
  'poddisruptionbudgets.policy': PodDisruptionBudget;
  secrets: Secret;
  configmaps: ConfigMap;
  events: KEvent;
  serviceaccounts: ServiceAccount;
  'roles.rbac.authorization.k8s.io': Role;
  'rolebindings.rbac.authorization.k8s.io': RoleBinding;
  'clusterrolebindings.rbac.authorization.k8s.io': ClusterRoleBinding;
  'applications.argoproj.io': ArgoApplication;
  'inferenceservices.serving.kserve.io': InferenceService;
  // The short ids the engine resolves as well.
  deployments: Deployment;
  replicasets: ReplicaSet;
  statefulsets: StatefulSet;
  daemonsets: DaemonSet;
  jobs: Job;
  cronjobs: CronJob;
  ingresses: Ingress;
  horizontalpodautoscalers: HorizontalPodAutoscaler;
  networkpolicies: NetworkPolicy;
  poddisruptionbudgets: PodDisruptionBudget;
}

export type ViewOf<K extends string> = K extends keyof Views ? Views[K] : KObject;
