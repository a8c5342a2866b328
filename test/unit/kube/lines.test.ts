import { PassThrough } from 'node:stream';
import { eachLine } from '../../../src/kube/lines';

test('eachLine joins lines split across chunks, trims them, skips blank ones and holds back an unfinished one', () => {
  const stream = new PassThrough();
  const lines: string[] = [];
  eachLine(stream, (l) => lines.push(l));
  for (const chunk of ['{"a":', '1}\n\n  {"b":2}  \n{"c"', ':3}\n{"d"']) stream.write(chunk);
  expect(lines).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
});
