// A KServe predictor (sklearn server) as the V1 and V2 (Open Inference Protocol) REST endpoints answer. The model is
// named after the InferenceService; predictions follow a fixed iris rule on petal length so answers are repeatable.
import type { AppRequest, AppResponse, SimApp } from './app';
import { jsonBody } from './app';

const err = (status: number, error: string): AppResponse => ({ status, body: { error } });

/** Iris class from the 4 features (sepal l/w, petal l/w): setosa 0, versicolor 1, virginica 2. */
function classify(row: unknown): number {
  if (!Array.isArray(row) || row.length !== 4 || !row.every((x) => typeof x === 'number' && Number.isFinite(x)))
    throw new Error('each instance must be 4 numbers');
  const petal = row[2] as number;
  return petal < 2.5 ? 0 : petal < 4.95 ? 1 : 2;
}

export const kserveApp: SimApp = (r: AppRequest) => {
  const model = String(r.pod.metadata.labels?.['serving.kserve.io/inferenceservice'] ?? '');
  const p = r.path;
  const get = r.method === 'GET' || r.method === 'HEAD';
  if (get && p === '/') return { status: 200, body: { status: 'alive' } };
  if (get && p === '/v1/models') return { status: 200, body: { models: [model] } };
  if (get && p === '/v2/health/live') return { status: 200, body: { live: true } };
  if (get && p === '/v2/health/ready') return { status: 200, body: { ready: true } };
  if (get && p === '/v2')
    return { status: 200, body: { name: 'kserve', version: '0.14.0', extensions: ['model_repository_extension'] } };
  let m = /^\/v1\/models\/([^/:]+)(:predict)?$/.exec(p);
  if (m) {
    if (m[1] !== model) return err(404, `Model with name ${m[1]} does not exist.`);
    if (!m[2]) return get ? { status: 200, body: { name: model, ready: true } } : err(405, 'Method Not Allowed');
    if (r.method !== 'POST') return err(405, 'Method Not Allowed');
    const b = jsonBody(r);
    if (!b || !Array.isArray(b.instances)) return err(400, 'Expected "instances" to be a list');
    try {
      return { status: 200, body: { predictions: b.instances.map(classify) } };
    } catch (e) {
      return err(400, (e as Error).message);
    }
  }
  m = /^\/v2\/models\/([^/]+)(?:\/versions\/([^/]+))?(\/ready|\/infer)?$/.exec(p);
  if (m) {
    if (m[1] !== model) return err(404, `Model with name ${m[1]} does not exist.`);
    if (!m[3])
      return get
        ? {
            status: 200,
            body: {
              name: model,
              versions: ['v1.0.0'],
              platform: 'sklearn',
              inputs: [{ name: 'input-0', datatype: 'FP32', shape: [-1, 4] }],
              outputs: [{ name: 'predict', datatype: 'INT64', shape: [-1] }],
            },
          }
        : err(405, 'Method Not Allowed');
    if (m[3] === '/ready')
      return get ? { status: 200, body: { name: model, ready: true } } : err(405, 'Method Not Allowed');
    if (r.method !== 'POST') return err(405, 'Method Not Allowed');
    const b = jsonBody(r);
    const input = Array.isArray(b?.inputs) ? (b!.inputs as Array<Record<string, unknown>>)[0] : undefined;
    if (!input || !Array.isArray(input.data)) return err(400, 'Expected "inputs" with at least one tensor with "data"');
    let rows = input.data as unknown[];
    // Flat data with a [n,4] shape is the row-major form of the same tensor.
    const shape = input.shape as number[] | undefined;
    if (rows.every((x) => typeof x === 'number') && Array.isArray(shape) && shape.length === 2 && shape[1] === 4)
      rows = Array.from({ length: rows.length / 4 }, (_, i) => rows.slice(i * 4, i * 4 + 4));
    try {
      const data = rows.map(classify);
      return {
        status: 200,
        body: {
          model_name: model,
          model_version: m[2] ?? 'v1.0.0',
          id: typeof b!.id === 'string' ? b!.id : 'sim-request',
          parameters: null,
          outputs: [{ name: 'predict', shape: [data.length], datatype: 'INT64', parameters: null, data }],
        },
      };
    } catch (e) {
      return err(400, (e as Error).message);
    }
  }
  return { status: 404, body: { detail: 'Not Found' } };
};
