import type { SettingsPatch } from '../../../electron/api/contract.js';
import { useApi } from '../app/api-context.js';
import { useAction, type ActionState } from '../app/use-action.js';

/** updateSettings with its error kept for the section that asked (each section shows its own). */
export function useSettingsUpdate(): ActionState<[SettingsPatch]> {
  return useAction(useApi().updateSettings);
}
