import { useEffect, useRef, type RefObject } from 'react';

/**
 * For a screen's heading: when a screen replaces another, the control that
 * had focus is gone, so focus (and the screen reader) starts at the new
 * screen's title instead of falling back to the top of the document.
 */
export function useFocusOnMount<T extends HTMLElement>(): RefObject<T | null> {
  const ref = useRef<T>(null);
  useEffect(() => ref.current?.focus({ preventScroll: true }), []);
  return ref;
}
