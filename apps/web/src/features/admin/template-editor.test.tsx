// @vitest-environment jsdom
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { LocaleProvider } from '@/i18n/client';
import type { Locale } from '@/i18n/locale';
import { TemplateEditor, type Validation } from './template-editor';

vi.mock('next/navigation', () => ({ useRouter: () => ({ replace() {}, push() {}, refresh() {} }) }));

beforeAll(() => {
  // jsdom lays nothing out; CodeMirror measures text with these.
  Range.prototype.getClientRects = () => [] as unknown as DOMRectList;
  Range.prototype.getBoundingClientRect = () => new DOMRect();
});

const doc = `{
  "id": "spring-card",
  "engine": 1,
  "fps": 300,
  "scenes": [
    { "id": "intro", "block": "title-crad" }
  ]
}`;

const validation: Validation = {
  ok: false,
  errors: [
    { path: '$.fps', code: 'too_big', message: 'Number must be at most 60' },
    { path: '$.scenes[0].block', code: 'unknown_block', message: 'no block "title-crad"' },
  ],
  warnings: [{ path: '$.title', code: 'missing_title', message: 'the gallery shows the id' }],
};

function show(text: string, checked: Validation | null, locale: Locale = 'en') {
  return render(
    <LocaleProvider locale={locale}>
      <TemplateEditor
        templateId="4f7d1f4e-2a59-4d0e-9a43-6f1c2b7f1a10"
        initialText={text}
        initialValidation={checked}
      />
    </LocaleProvider>,
  );
}

afterEach(cleanup);

describe('template JSON editor', () => {
  it('lists each problem with its line, column and path, errors and warnings counted', () => {
    show(doc, validation);
    const items = within(screen.getByTestId('problems')).getAllByRole('button');
    expect(items.map((b) => [b.dataset.path, b.dataset.line, b.dataset.severity])).toEqual([
      ['$.fps', '4', 'error'],
      ['$.scenes[0].block', '6', 'error'],
      // A missing property is shown at its nearest ancestor: the document, line 1.
      ['$.title', '1', 'warning'],
    ]);
    expect(items[0]!.textContent).toContain('Line 4, column 3');
    expect(items[0]!.textContent).toContain('Number must be at most 60');
    const summary = screen.getByTestId('validation-summary');
    expect(summary.dataset.errors).toBe('2');
    expect(summary.dataset.warnings).toBe('1');
  });

  it('underlines the exact text of each problem inside the editor', async () => {
    const { container } = show(doc, validation);
    await waitFor(() => expect(container.querySelectorAll('.cm-lintRange-error').length).toBeGreaterThan(0));
    const underlined = [...container.querySelectorAll('.cm-lintRange-error')]
      .map((e) => e.textContent)
      .join('|');
    expect(underlined).toContain('"fps": 300');
    expect(underlined).toContain('"block": "title-crad"');
    expect(container.querySelectorAll('.cm-lintRange-warning').length).toBeGreaterThan(0);
    expect(container.querySelectorAll('.cm-lint-marker-error').length).toBe(2);
  });

  it('puts the cursor on a problem picked from the list', async () => {
    const user = userEvent.setup();
    const { container } = show(doc, validation);
    await user.click(screen.getByRole('button', { name: /fps/ }));
    const content = container.querySelector('.cm-content') as HTMLElement;
    await waitFor(() =>
      expect(content.contains(document.activeElement) || document.activeElement === content).toBe(true),
    );
  });

  it('shows a JSON syntax error where it is and blocks saving until it is fixed', () => {
    show('{\n  "id": "x",\n  "fps": 30,\n}', null);
    const [item] = within(screen.getByTestId('problems')).getAllByRole('button');
    expect(item!.dataset.line).toBe('4');
    expect(item!.textContent).toContain('Invalid JSON');
    expect((screen.getByTestId('template-save') as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByTestId('template-publish') as HTMLButtonElement).disabled).toBe(true);
  });

  it('speaks Persian around the engine messages, with Persian digits', () => {
    show(doc, validation, 'fa');
    const [first] = within(screen.getByTestId('problems')).getAllByRole('button');
    expect(first!.textContent).toContain('سطر ۴، ستون ۳');
  });
});
