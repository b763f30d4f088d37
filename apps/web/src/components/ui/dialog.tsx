'use client';

import { type ReactNode, useEffect, useRef } from 'react';

/**
 * A modal on the native <dialog> element: focus is trapped and Escape closes it, by the browser.
 */
export function Dialog({
  open,
  onClose,
  title,
  children,
  actions,
}: {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  children: ReactNode;
  actions?: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      if (typeof dialog.showModal === 'function') dialog.showModal();
      else dialog.setAttribute('open', '');
    } else if (!open && dialog.open) {
      if (typeof dialog.close === 'function') dialog.close();
      else dialog.removeAttribute('open');
    }
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="fr-dialog"
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      aria-labelledby="fr-dialog-title"
    >
      {open ? (
        <>
          <div className="fr-dialog-body">
            <h2 id="fr-dialog-title">{title}</h2>
            {children}
          </div>
          {actions ? <div className="fr-dialog-actions">{actions}</div> : null}
        </>
      ) : null}
    </dialog>
  );
}
