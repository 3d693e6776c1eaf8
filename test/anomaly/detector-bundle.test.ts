import { readFileSync } from 'fs';
import { GENERATED_FILE, renderDetectorBundle } from './detector-bundle';

test('the embedded detector program is compiled from the current sources', () => {
  // If this fails: npx ts-node --transpile-only test/anomaly/detector-bundle.ts
  expect(readFileSync(GENERATED_FILE, 'utf8')).toEqual(renderDetectorBundle());
});
