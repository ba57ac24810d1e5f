// A Feast deployment as the Feast operator runs it from the feastdev/feature-server image: the registry server's REST
// API (`feast serve_registry --rest-api`, paths under /api/v1, registry protos as camelCase JSON the way
// MessageToDict writes them) and the feature server's /health. The repository is `feast init`'s driver example.
import type { AppRequest, AppResponse, SimApp } from './app';

const H = 3_600_000;
/** Relative to the simulator's start (on the hour), so ages read as a live registry's would. */
const at = (hoursAgo: number) => new Date(Math.floor(Date.now() / H) * H - hoursAgo * H).toISOString();
const T0 = at(72);
const T1 = at(6);
const PROJECT = 'driver_ranking';

const meta = (created = T0, updated = T1) => ({ createdTimestamp: created, lastUpdatedTimestamp: updated });

const PROJECTS = [
  {
    spec: { name: PROJECT, description: 'Ranks drivers for ride assignment' },
    meta: meta(),
  },
];

const ENTITIES = [
  {
    spec: {
      name: 'driver',
      valueType: 'INT64',
      description: 'A driver, by their id',
      joinKey: 'driver_id',
      project: PROJECT,
      owner: 'ml-platform@example.com',
    },
    meta: meta(),
  },
  {
    spec: {
      name: 'customer',
      valueType: 'STRING',
      description: 'A rider, by their account id',
      joinKey: 'customer_id',
      project: PROJECT,
      tags: { pii: 'false' },
    },
    meta: meta(T0, T0),
  },
];

const fileSource = (name: string, uri: string) => ({
  type: 'BATCH_FILE',
  name,
  timestampField: 'event_timestamp',
  createdTimestampColumn: 'created',
  fileOptions: { uri },
  dataSourceClassType: 'feast.infra.offline_stores.file_source.FileSource',
});

const FEATURE_VIEWS = [
  {
    featureView: {
      spec: {
        name: 'driver_hourly_stats',
        project: PROJECT,
        entities: ['driver'],
        features: [
          { name: 'conv_rate', valueType: 'FLOAT' },
          { name: 'acc_rate', valueType: 'FLOAT' },
          { name: 'avg_daily_trips', valueType: 'INT64', description: 'Average daily trips' },
        ],
        entityColumns: [{ name: 'driver_id', valueType: 'INT64' }],
        tags: { team: 'driver_performance' },
        ttl: '86400s',
        batchSource: fileSource('driver_hourly_stats_source', 'data/driver_stats.parquet'),
        online: true,
      },
      meta: {
        ...meta(),
        materializationIntervals: [
          { startTime: at(48), endTime: at(24) },
          { startTime: at(24), endTime: at(2) },
        ],
      },
    },
  },
  {
    featureView: {
      spec: {
        name: 'customer_profile',
        project: PROJECT,
        entities: ['customer'],
        features: [
          { name: 'lifetime_trips', valueType: 'INT64' },
          { name: 'avg_rating_given', valueType: 'FLOAT' },
        ],
        entityColumns: [{ name: 'customer_id', valueType: 'STRING' }],
        ttl: '604800s',
        batchSource: fileSource('customer_profile_source', 'data/customer_profile.parquet'),
        online: false,
      },
      meta: meta(T0, T0),
    },
  },
  {
    onDemandFeatureView: {
      spec: {
        name: 'transformed_conv_rate',
        project: PROJECT,
        features: [
          { name: 'conv_rate_plus_val1', valueType: 'DOUBLE' },
          { name: 'conv_rate_plus_val2', valueType: 'DOUBLE' },
        ],
        sources: {
          driver_hourly_stats: {
            featureViewProjection: {
              featureViewName: 'driver_hourly_stats',
              featureColumns: [{ name: 'conv_rate', valueType: 'FLOAT' }],
            },
          },
          vals_to_add: {
            requestDataSource: {
              type: 'REQUEST_SOURCE',
              name: 'vals_to_add',
              requestDataOptions: {
                schema: [
                  { name: 'val_to_add', valueType: 'INT64' },
                  { name: 'val_to_add_2', valueType: 'INT64' },
                ],
              },
            },
          },
        },
        mode: 'pandas',
      },
      meta: meta(),
    },
  },
];

const FEATURE_SERVICES = [
  {
    spec: {
      name: 'driver_activity_v1',
      project: PROJECT,
      features: [
        {
          featureViewName: 'driver_hourly_stats',
          featureColumns: [
            { name: 'conv_rate', valueType: 'FLOAT' },
            { name: 'avg_daily_trips', valueType: 'INT64' },
          ],
        },
        {
          featureViewName: 'transformed_conv_rate',
          featureColumns: [{ name: 'conv_rate_plus_val1', valueType: 'DOUBLE' }],
        },
      ],
      description: 'Features the ranking model reads at request time',
      owner: 'ml-platform@example.com',
    },
    meta: meta(),
  },
];

/** FastAPI's answer to a missing required query parameter, through the server's own validation handler. */
const missingProject = (): AppResponse => ({
  status: 422,
  body: {
    status_code: 422,
    detail: "[{'type': 'missing', 'loc': ('query', 'project'), 'msg': 'Field required', 'input': None}]",
    error_type: 'RequestValidationError',
  },
});

const listed = (r: AppRequest, key: string, items: unknown[]): AppResponse => {
  const project = r.query.get('project');
  if (!project) return missingProject();
  const mine = items.filter((x) => {
    const o = x as Record<string, { spec: { project: string } }>;
    const spec = (o.spec ?? Object.values(o)[0]?.spec) as unknown as { project: string };
    return spec.project === project;
  });
  return { status: 200, body: { [key]: mine, pagination: {} } };
};

export const feastApp: SimApp = (r) => {
  if (r.method !== 'GET' && r.method !== 'HEAD') return { status: 405, body: { detail: 'Method Not Allowed' } };
  switch (r.path) {
    case '/health':
      return { status: 200, contentType: 'text/plain; charset=utf-8', body: '' };
    case '/api/v1/projects':
      return { status: 200, body: { projects: PROJECTS, pagination: {} } };
    case '/api/v1/entities':
      return listed(r, 'entities', ENTITIES);
    case '/api/v1/feature_views':
      return listed(r, 'featureViews', FEATURE_VIEWS);
    case '/api/v1/feature_services':
      return listed(r, 'featureServices', FEATURE_SERVICES);
    default:
      return { status: 404, body: { detail: 'Not Found' } };
  }
};
