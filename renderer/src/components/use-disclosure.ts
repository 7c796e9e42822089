import { useId, useRef, useState, type KeyboardEvent, type RefObject } from 'react';

export interface Disclosure {
  open: boolean;
  buttonProps: { 'aria-expanded': boolean; 'aria-controls': string; onClick: () => void; ref: RefObject<HTMLButtonElement | null> };
  panelProps: { id: string; hidden: boolean };
  /** On the element around button and panel: Escape closes and gives focus back to the button. */
  onKeyDown: (event: KeyboardEvent) => void;
}

/** A button that shows and hides a panel of details (the ARIA disclosure pattern). */
export function useDisclosure(): Disclosure {
  const [open, setOpen] = useState(false);
  const id = useId();
  const button = useRef<HTMLButtonElement>(null);
  return {
    open,
    buttonProps: { 'aria-expanded': open, 'aria-controls': id, onClick: () => setOpen(!open), ref: button },
    panelProps: { id, hidden: !open },
    onKeyDown: (event) => {
      if (event.key !== 'Escape' || !open) return;
      event.stopPropagation();
      setOpen(false);
      button.current?.focus();
    },
  };
}
