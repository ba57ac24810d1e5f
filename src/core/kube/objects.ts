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
