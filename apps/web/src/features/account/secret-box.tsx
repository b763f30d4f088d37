'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import styles from './account.module.css';

/**
 * A secret shown once (an API key, a webhook signing secret), selectable and with a copy button.
 * Copying falls back to selecting the text where the clipboard API is not allowed (plain HTTP).
 */
export function SecretBox({
  value,
  copyLabel,
  copiedLabel,
  testId,
}: {
  value: string;
  copyLabel: string;
  copiedLabel: string;
  testId?: string;
}) {
  const [copied, setCopied] = useState(false);
  return (
    <div className={styles.secret}>
      <code data-testid={testId} id={testId ? `${testId}-value` : undefined}>
        {value}
      </code>
      <Button
        size="sm"
        onClick={async (event) => {
          try {
            await navigator.clipboard.writeText(value);
          } catch {
            const code = (event.currentTarget.previousElementSibling ?? null) as HTMLElement | null;
            if (code) window.getSelection()?.selectAllChildren(code);
          }
          setCopied(true);
        }}
      >
        {copied ? copiedLabel : copyLabel}
      </Button>
    </div>
  );
}
