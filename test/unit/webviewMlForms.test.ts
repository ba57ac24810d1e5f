// The checks of the training-job and inference-service forms: what a user types becomes a value or the sentence shown
// next to the field.
import assert from 'node:assert/strict';
import {
  commandLine,
  exampleBody,
  imageRef,
  objectName,
  quantity,
  requestBody,
  storageUri,
  prettyJson,
} from '../../webviews/src/model/mlForms';

const err = (c: { ok: boolean; error?: string }) => (c.ok ? undefined : c.error);

describe('ML form checks', () => {
  it('names: lower-case DNS labels starting with a letter, within the limit', () => {
    assert.deepEqual(objectName(' mnist-ddp ', 'job'), { ok: true, value: 'mnist-ddp' });
    assert.match(err(objectName('', 'job'))!, /Enter a name for the job/);
    assert.match(err(objectName('Mnist', 'job'))!, /lower-case/);
    assert.match(err(objectName('my_job', 'job'))!, /"-" between words/);
    assert.match(err(objectName('1job', 'job'))!, /Start with a letter/);
    assert.match(err(objectName('job-', 'job'))!, /ending with a letter or digit/);
    assert.match(err(objectName('a'.repeat(51), 'job', 50))!, /at most 50/);
  });

  it('images: references with registry, port, tag and digest; says what is wrong', () => {
    for (const ok of [
      'busybox',
      'docker.io/kubeflowkatib/pytorch-mnist:v1beta1-45c5727',
      'localhost:5000/team/train:1.0',
      `ghcr.io/acme/mnist@sha256:${'a'.repeat(64)}`,
    ])
      assert.equal(imageRef(ok).ok, true, ok);
    assert.match(err(imageRef(''))!, /Enter the image/);
    assert.match(err(imageRef('my image'))!, /no spaces/);
    assert.match(err(imageRef('ghcr.io/Acme/mnist'))!, /lower-case/);
    assert.match(err(imageRef('ghcr.io/acme/mnist:'))!, /tag/);
    assert.match(err(imageRef('acme/mnist@sha256:xyz'))!, /digest/);
  });

  it('quantities: CPU in cores or millicores, memory with a binary unit, empty means none', () => {
    assert.deepEqual(quantity('', 'cpu'), { ok: true, value: undefined });
    assert.deepEqual(quantity('500m', 'cpu'), { ok: true, value: '500m' });
    assert.deepEqual(quantity('16Gi', 'memory'), { ok: true, value: '16Gi' });
    assert.match(err(quantity('-1', 'cpu'))!, /negative/);
    assert.match(err(quantity('2 Gi', 'memory'))!, /No space/);
    assert.match(err(quantity('4GB', 'memory'))!, /Unknown unit/);
    assert.match(err(quantity('512m', 'memory'))!, /thousandths of a byte/);
    assert.match(err(quantity('2Gi', 'cpu'))!, /cores/);
    assert.match(err(quantity('lots', 'memory'))!, /Not a quantity/);
  });

  it('commands split like a shell; an open quote is an error', () => {
    assert.deepEqual(commandLine('python train.py --name "my run" --lr=0.1'), {
      ok: true,
      value: ['python', 'train.py', '--name', 'my run', '--lr=0.1'],
    });
    assert.deepEqual(commandLine("  sh -c 'echo hi; sleep 1' "), { ok: true, value: ['sh', '-c', 'echo hi; sleep 1'] });
    assert.deepEqual(commandLine('   '), { ok: true, value: undefined });
    assert.match(err(commandLine('python "train.py'))!, /Close the double quote/);
  });

  it('storage URIs: the schemes KServe loads from', () => {
    assert.equal(storageUri('gs://kfserving-examples/models/sklearn/1.0/model').ok, true);
    assert.equal(storageUri('hf://google-bert/bert-base-uncased').ok, true);
    assert.match(err(storageUri(''))!, /Enter where the model is stored/);
    assert.match(err(storageUri('/models/iris'))!, /Start with a scheme/);
    assert.match(err(storageUri('ftp://host/model'))!, /KServe loads models from/);
  });

  it('request bodies: JSON in the shape of the protocol, with where it breaks', () => {
    for (const p of ['v1', 'v2'] as const) assert.equal(requestBody(exampleBody(p), p).ok, true, p);
    assert.match(err(requestBody('{"instances": [[1, 2]', 'v1'))!, /Not valid JSON.*ends too early/);
    assert.match(
      err(requestBody('{\n  "instances": [1,, 2]\n}', 'v1'))!,
      /Not valid JSON at line 2, column 19: unexpected ","/,
    );
    assert.match(err(requestBody('[1, 2]', 'v1'))!, /JSON object/);
    assert.match(err(requestBody('{"rows": []}', 'v1'))!, /"instances"/);
    assert.match(err(requestBody(exampleBody('v1'), 'v2'))!, /"inputs"/);
    assert.match(err(requestBody('{"inputs": [{"name": "x", "data": [1]}]}', 'v2'))!, /Input 1 needs shape, datatype/);
  });

  it('pretty JSON keeps tensors on one line', () => {
    assert.equal(
      prettyJson({
        inputs: [
          {
            name: 'x',
            shape: [2, 2],
            data: [
              [1, 2],
              [3.5, 4],
            ],
          },
        ],
        id: null,
        empty: {},
      }),
      '{\n  "inputs": [\n    {\n      "name": "x",\n      "shape": [2, 2],\n      "data": [[1, 2], [3.5, 4]]\n    }\n  ],\n  "id": null,\n  "empty": {}\n}',
    );
    assert.match(
      exampleBody('v2'),
      /"shape": \[2, 4\],\n\s+"datatype": "FP32",\n\s+"data": \[\[6\.8, 2\.8, 4\.8, 1\.4\], \[6, 3\.4/,
    );
  });
});
