// Which images the simulated nodes can pull, and which ports an image serves. The rule, in the order it is applied:
//
// 1. A registry must resolve: the well-known public registries (Docker Hub, ghcr.io, quay.io, registry.k8s.io, gcr.io
//    and *.gcr.io, *.pkg.dev, mcr.microsoft.com, nvcr.io, public.ecr.aws, *.amazonaws.com, *.azurecr.io,
//    registry.gitlab.com, docker.elastic.co, cgr.dev, registry.redhat.io) plus those a scenario adds. Any other host
//    (`registry.invalid`, `my-registry.corp:5000`) fails with "no such host".
// 2. A reference containing `does-not-exist` is "not found" (scenarios use it to break a tag on purpose).
// 3. A repository of the catalog below (Docker Hub's common official images) accepts version-like tags (digits and
//    dots, with an optional variant suffix: `1.27`, `16.4-alpine`, `3.12-slim`) and its named tags (`latest`,
//    `alpine`, …); any other tag is "not found".
// 4. Any other repository on a known registry is pullable: the simulator cannot know every private image, and a
//    scenario's own images (`ghcr.io/acme/…`) must start.
// A failed pull shows as a real kubelet shows it: ErrImagePull with containerd's message, then ImagePullBackOff.

export interface ImageRef {
  /** docker.io, ghcr.io, registry.invalid, … */
  registry: string;
  /** The repository path without the registry (library/nginx). */
  repository: string;
  tag: string;
  digest?: string;
  /** The fully qualified reference containerd reports (docker.io/library/nginx:1.27). */
  full: string;
}

/** Docker's normalisation: a first component with a dot, a colon or `localhost` is a registry, else Docker Hub. */
export function parseImage(image: string): ImageRef {
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) [rest, digest] = [rest.slice(0, at), rest.slice(at + 1)];
  const slash = rest.indexOf('/');
  const first = slash >= 0 ? rest.slice(0, slash) : '';
  let registry = 'docker.io';
  if (first && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    registry = first;
    rest = rest.slice(slash + 1);
  }
  const colon = rest.lastIndexOf(':');
  let tag = digest ? '' : 'latest';
  if (colon >= 0) [rest, tag] = [rest.slice(0, colon), rest.slice(colon + 1)];
  const repository = registry === 'docker.io' && !rest.includes('/') ? `library/${rest}` : rest;
  const full = `${registry}/${repository}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
  return { registry, repository, tag, digest, full };
}

const KNOWN_REGISTRIES = new Set([
  'docker.io',
  'index.docker.io',
  'registry-1.docker.io',
  'ghcr.io',
  'quay.io',
  'registry.k8s.io',
  'k8s.gcr.io',
  'gcr.io',
  'mcr.microsoft.com',
  'nvcr.io',
  'public.ecr.aws',
  'registry.gitlab.com',
  'docker.elastic.co',
  'cgr.dev',
  'registry.redhat.io',
]);
const KNOWN_REGISTRY_SUFFIXES = ['.gcr.io', '.pkg.dev', '.amazonaws.com', '.azurecr.io'];

interface CatalogEntry {
  /** Named tags besides version-like ones. */
  tags: string[];
  /** Ports the image's default program listens on. */
  ports: number[];
}

/** Docker Hub's common official images (repository without `library/`). */
const CATALOG: Record<string, CatalogEntry> = {
  nginx: { tags: ['latest', 'stable', 'mainline', 'alpine', 'alpine-slim', 'perl', 'bookworm'], ports: [80] },
  httpd: { tags: ['latest', 'alpine', 'bookworm'], ports: [80] },
  busybox: { tags: ['latest', 'stable', 'musl', 'glibc', 'uclibc'], ports: [] },
  alpine: { tags: ['latest', 'edge'], ports: [] },
  ubuntu: { tags: ['latest', 'rolling', 'jammy', 'noble', 'focal'], ports: [] },
  debian: { tags: ['latest', 'stable', 'stable-slim', 'bookworm', 'bookworm-slim', 'bullseye', 'trixie'], ports: [] },
  redis: { tags: ['latest', 'alpine', 'bookworm'], ports: [6379] },
  postgres: { tags: ['latest', 'alpine', 'bookworm'], ports: [5432] },
  mysql: { tags: ['latest', 'lts', 'innovation', 'oracle', 'debian'], ports: [3306] },
  mariadb: { tags: ['latest', 'lts'], ports: [3306] },
  mongo: { tags: ['latest', 'jammy', 'noble'], ports: [27017] },
  memcached: { tags: ['latest', 'alpine'], ports: [11211] },
  rabbitmq: { tags: ['latest', 'management', 'alpine', 'management-alpine'], ports: [5672, 15672] },
  python: { tags: ['latest', 'alpine', 'slim', 'bookworm', 'slim-bookworm'], ports: [] },
  node: { tags: ['latest', 'lts', 'current', 'alpine', 'slim', 'bookworm', 'lts-alpine', 'lts-slim'], ports: [] },
  golang: { tags: ['latest', 'alpine', 'bookworm'], ports: [] },
  openjdk: { tags: ['latest', 'slim'], ports: [] },
  'eclipse-temurin': { tags: ['latest', 'alpine', 'jre', 'jdk', 'jre-alpine'], ports: [] },
  perl: { tags: ['latest', 'slim'], ports: [] },
  traefik: { tags: ['latest'], ports: [80, 8080] },
  haproxy: { tags: ['latest', 'alpine', 'lts'], ports: [80] },
  registry: { tags: ['latest'], ports: [5000] },
};

const VERSION_TAG = /^v?\d+(\.\d+)*([-_][A-Za-z0-9][A-Za-z0-9._-]*)?$/;

export type PullResult = { ok: true } | { ok: false; message: string };

export function registryKnown(registry: string, extra: readonly string[] = []): boolean {
  const host = registry.replace(/:\d+$/, '');
  return (
    KNOWN_REGISTRIES.has(host) ||
    extra.includes(registry) ||
    KNOWN_REGISTRY_SUFFIXES.some((s) => host.endsWith(s) && !host.endsWith('.invalid'))
  );
}

/** Whether a node can pull `image`, with containerd's error when it cannot. */
export function pullImage(image: string, extraRegistries: readonly string[] = []): PullResult {
  const ref = parseImage(image);
  const resolve = `failed to pull and unpack image "${ref.full}": failed to resolve reference "${ref.full}"`;
  if (!registryKnown(ref.registry, extraRegistries)) {
    const host = ref.registry.replace(/:\d+$/, '');
    return {
      ok: false,
      message: `rpc error: code = Unknown desc = ${resolve}: failed to do request: Head "https://${ref.registry}/v2/${ref.repository}/manifests/${ref.tag || ref.digest}": dial tcp: lookup ${host} on 10.96.0.10:53: no such host`,
    };
  }
  const notFound = {
    ok: false as const,
    message: `rpc error: code = NotFound desc = ${resolve}: ${ref.full}: not found`,
  };
  if (image.includes('does-not-exist')) return notFound;
  const entry = ref.registry === 'docker.io' ? CATALOG[ref.repository.replace(/^library\//, '')] : undefined;
  if (entry && ref.tag && !entry.tags.includes(ref.tag) && !VERSION_TAG.test(ref.tag)) return notFound;
  return { ok: true };
}

/** Ports the image's own program serves, when the catalog knows it. */
export function imagePorts(image: string): readonly number[] {
  const ref = parseImage(image);
  return (ref.registry === 'docker.io' && CATALOG[ref.repository.replace(/^library\//, '')]?.ports) || [];
}
