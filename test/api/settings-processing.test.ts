import { describe, expect, it } from 'vitest';
import { settingsSchema } from '../../electron/api/settings.js';
import { NOISE_SUPPRESSION_LEVELS } from '../../electron/engine/send/processing/capture-stage.js';

describe('voice processing settings', () => {
  it('offer exactly the noise suppression strengths the engine has (the contract may not import the engine)', () => {
    expect(settingsSchema.shape.noiseSuppression.unwrap().options).toEqual([...NOISE_SUPPRESSION_LEVELS]);
  });
});
