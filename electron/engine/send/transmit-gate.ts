/** How the user opens their microphone. */
export type Activation = 'voice' | 'pushToTalk' | 'continuous';
export const ACTIVATIONS: readonly Activation[] = ['voice', 'pushToTalk', 'continuous'];

/** A talkspurt begins or ends at this block, or neither. */
export type GateTransition = 'start' | 'end' | undefined;

/**
 * Whether this block is transmitted: by voice activity, by the push-to-talk
 * key, or always; never while muted. Evaluated once per block, so a key
 * press or mute takes effect on the next block exactly.
 */
export class TransmitGate {
  open = false;
  pushToTalkPressed = false;
  muted = false;

  constructor(public activation: Activation) {}

  update(voiceActive: boolean): GateTransition {
    const wanted = !this.muted && this.wants(voiceActive);
    if (wanted === this.open) return undefined;
    this.open = wanted;
    return wanted ? 'start' : 'end';
  }

  private wants(voiceActive: boolean): boolean {
    switch (this.activation) {
      case 'voice':
        return voiceActive;
      case 'pushToTalk':
        return this.pushToTalkPressed;
      case 'continuous':
        return true;
    }
  }
}
