// @vitest-environment jsdom
import type { FieldDef } from '@flatrender/engine';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LocaleProvider } from '@/i18n/client';
import type { Locale } from '@/i18n/locale';
import type { FileView, FontFaceView } from '@/lib/api/types';
import { FieldEditor } from './field-editor';
import { fontChoices, pickerHex } from './field-editors';
import { cropBox, ratioOf } from './image-crop';
import type { FieldIssues } from './studio-types';

afterEach(cleanup);

const noUpload = () => Promise.reject(new Error('no upload in this test')) as Promise<FileView>;

function face(family: string, weight: number): FontFaceView {
  return {
    id: `${family}-${weight}`,
    family,
    weight,
    style: 'normal',
    format: 'ttf',
    visibility: 'platform',
    css_family: `${family} ${weight}`,
    scripts: ['arabic', 'latin'],
    coverage: {},
    content_hash: 'x',
    size_bytes: 1,
    url: `http://gw/v1/fonts/${family}-${weight}/file`,
    installed_at: '2025-01-01T00:00:00Z',
  };
}

function setup(
  def: FieldDef,
  value: unknown,
  options: { locale?: Locale; issues?: FieldIssues; isDefault?: boolean; fonts?: FontFaceView[] } = {},
) {
  const onChange = vi.fn();
  const onReset = vi.fn();
  const result = render(
    <LocaleProvider locale={options.locale ?? 'fa'}>
      <FieldEditor
        path="intro.title"
        def={def}
        value={value}
        isDefault={options.isDefault ?? true}
        onChange={onChange}
        onReset={onReset}
        issues={options.issues}
        fonts={options.fonts ?? []}
        upload={noUpload}
      />
    </LocaleProvider>,
  );
  return { onChange, onReset, ...result };
}

const text = (extra: Partial<Extract<FieldDef, { type: 'text' }>> = {}): FieldDef => ({
  type: 'text',
  label: { fa: 'عنوان', en: 'Title' },
  maxLength: 40,
  multiline: false,
  ...extra,
});

describe('text field', () => {
  it('is labelled in the page language and lets the browser pick the direction of what is typed', () => {
    setup(text(), 'نوروز مبارک', { locale: 'en' });
    const input = screen.getByLabelText('Title') as HTMLInputElement;
    expect(input.value).toBe('نوروز مبارک');
    expect(input.getAttribute('dir')).toBe('auto');
    expect(input.maxLength).toBe(40);
    expect(screen.getByText('11 of 40 characters')).toBeTruthy();
  });

  it('sends every change, Persian text included', async () => {
    const { onChange } = setup(text(), '');
    await userEvent.type(screen.getByLabelText('عنوان'), 'سلام');
    expect(onChange).toHaveBeenCalledTimes(4);
    expect(onChange).toHaveBeenLastCalledWith('م');
  });

  it('uses a textarea for multiline fields', () => {
    setup(text({ multiline: true }), 'a\nb');
    expect(screen.getByLabelText('عنوان').tagName).toBe('TEXTAREA');
  });

  it('shows the checks under the field and marks the control invalid', () => {
    setup(text(), 'x', {
      issues: {
        errors: [{ code: 'text_unfit', path: 'intro.title', message: 'does not fit at 9:16' }],
        warnings: [{ code: 'missing_glyphs', path: 'intro.title', message: 'U+1F600 has no glyph' }],
      },
    });
    const input = screen.getByLabelText('عنوان');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    const described = document.getElementById(input.getAttribute('aria-describedby') ?? '');
    expect(described?.textContent).toContain('does not fit at 9:16');
    expect(screen.getByRole('alert').textContent).toBe('does not fit at 9:16');
    expect(screen.getByText('U+1F600 has no glyph')).toBeTruthy();
  });

  it('offers "back to default" only when the project has its own value', async () => {
    const first = setup(text(), 'x', { isDefault: true });
    expect(screen.queryByText('بازگشت به پیش‌فرض')).toBeNull();
    first.unmount();
    const { onReset } = setup(text(), 'x', { isDefault: false });
    await userEvent.click(screen.getByText('بازگشت به پیش‌فرض'));
    expect(onReset).toHaveBeenCalledOnce();
  });
});

describe('colour field', () => {
  const color: FieldDef = {
    type: 'color',
    label: { fa: 'رنگ برند', en: 'Brand colour' },
    swatches: ['#e94560', '#0F3460'],
  };

  it('takes a typed hex code only when it is a colour', () => {
    const { onChange } = setup(color, '#e94560', { locale: 'en' });
    const hex = screen.getByLabelText('Colour code');
    fireEvent.change(hex, { target: { value: '#12' } });
    expect(onChange).not.toHaveBeenCalled();
    fireEvent.change(hex, { target: { value: '#1A2B3C' } });
    expect(onChange).toHaveBeenCalledWith('#1a2b3c');
  });

  it('takes the picker and the swatches', async () => {
    const { onChange } = setup(color, '#e94560', { locale: 'en' });
    fireEvent.change(screen.getByLabelText('Pick a colour'), { target: { value: '#00ff00' } });
    expect(onChange).toHaveBeenCalledWith('#00ff00');
    const swatch = screen.getByRole('button', { name: '#0F3460' });
    expect(screen.getByRole('button', { name: '#e94560' }).getAttribute('aria-pressed')).toBe('true');
    await userEvent.click(swatch);
    expect(onChange).toHaveBeenLastCalledWith('#0F3460');
  });

  it('gives the picker the six-digit form it needs', () => {
    expect(pickerHex('#AbC')).toBe('#aabbcc');
    expect(pickerHex('#11223344')).toBe('#112233');
  });
});

describe('number field', () => {
  const number: FieldDef = { type: 'number', label: 'Discount', min: 5, max: 90, step: 5 };

  it('sends numbers within the bounds, Persian digits included', () => {
    const { onChange } = setup(number, 30);
    const input = screen.getByLabelText('Discount') as HTMLInputElement;
    expect(input.min).toBe('5');
    expect(input.max).toBe('90');
    fireEvent.change(input, { target: { value: '95' } });
    fireEvent.change(input, { target: { value: '2' } });
    expect(onChange).not.toHaveBeenCalled();
    fireEvent.change(input, { target: { value: '45' } });
    expect(onChange).toHaveBeenCalledWith(45);
  });
});

describe('font field', () => {
  const font: FieldDef = {
    type: 'font',
    label: 'Font',
    allowed: ['Vazirmatn:400', 'Vazirmatn:800', 'Lalezar:400'],
  };

  it('offers the allowed faces and disables those not installed', () => {
    const fonts = [face('Vazirmatn', 400), face('Vazirmatn', 800)];
    const { onChange } = setup(font, 'Vazirmatn:800', { locale: 'en', fonts });
    const select = screen.getByLabelText('Font') as HTMLSelectElement;
    expect(select.value).toBe('Vazirmatn:800');
    const options = [...select.options].map((o) => [o.value, o.disabled]);
    expect(options).toEqual([
      ['Vazirmatn:400', false],
      ['Vazirmatn:800', false],
      ['Lalezar:400', true],
    ]);
    fireEvent.change(select, { target: { value: 'Vazirmatn:400' } });
    expect(onChange).toHaveBeenCalledWith('Vazirmatn:400');
  });

  it('offers every installed upright face when the field allows any', () => {
    const italic = { ...face('Vazirmatn', 700), style: 'italic' as const };
    expect(fontChoices({ type: 'font' }, [face('Vazirmatn', 400), italic])).toEqual([
      { spec: 'Vazirmatn:400', installed: true },
    ]);
  });
});

describe('list field', () => {
  const list: FieldDef = {
    type: 'list',
    label: { fa: 'ستون‌ها', en: 'Bars' },
    item: {
      label: { type: 'text', maxLength: 20, multiline: false, label: 'Label' },
      value: { type: 'number', label: 'Value', min: 0 },
    },
    minItems: 1,
    maxItems: 3,
  };
  const items = [
    { label: 'بهار', value: 10 },
    { label: 'تابستان', value: 20 },
  ];

  it('edits an item in place and keeps the others', () => {
    const { onChange } = setup(list, items, { locale: 'en' });
    const labels = screen.getAllByLabelText('Label') as HTMLInputElement[];
    expect(labels.map((l) => l.value)).toEqual(['بهار', 'تابستان']);
    fireEvent.change(labels[1]!, { target: { value: 'پاییز' } });
    expect(onChange).toHaveBeenCalledWith([
      { label: 'بهار', value: 10 },
      { label: 'پاییز', value: 20 },
    ]);
  });

  it('adds and removes items within the bounds', async () => {
    const { onChange, unmount } = setup(list, items, { locale: 'en' });
    await userEvent.click(screen.getByRole('button', { name: '+ Add an item' }));
    expect(onChange).toHaveBeenLastCalledWith([...items, { label: '' }]);
    await userEvent.click(screen.getByRole('button', { name: 'Remove item 1' }));
    expect(onChange).toHaveBeenLastCalledWith([items[1]]);
    unmount();
    setup(list, [items[0]], { locale: 'en' });
    expect((screen.getByRole('button', { name: 'Remove item 1' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('shows an item check on that item only', () => {
    setup(list, items, {
      locale: 'en',
      issues: {
        errors: [{ code: 'text_unfit', path: 'intro.title[1].label', message: 'too long' }],
        warnings: [],
      },
    });
    const labels = screen.getAllByLabelText('Label');
    expect(labels[0]!.getAttribute('aria-invalid')).toBeNull();
    expect(labels[1]!.getAttribute('aria-invalid')).toBe('true');
  });
});

describe('image field crop', () => {
  it('reads aspect hints', () => {
    expect(ratioOf('16:9')).toBeCloseTo(16 / 9);
    expect(ratioOf(1.5)).toBe(1.5);
    expect(ratioOf(undefined)).toBeUndefined();
  });

  it('crops the largest box of the ratio, scaled and kept inside the picture', () => {
    expect(cropBox(4000, 3000, 1, 1, 2000, 1500)).toEqual({ x: 500, y: 0, width: 3000, height: 3000 });
    expect(cropBox(4000, 3000, 16 / 9, 0.5, 0, 0)).toEqual({ x: 0, y: 0, width: 2000, height: 1125 });
    const edge = cropBox(1000, 1000, 2, 0.5, 990, 990);
    expect(edge.x + edge.width).toBe(1000);
    expect(edge.y + edge.height).toBe(1000);
  });

  it('offers an upload button and shows the image field check', () => {
    setup({ type: 'image', label: 'Logo', minWidth: 256, optional: true }, undefined, {
      locale: 'en',
      issues: {
        errors: [{ code: 'image_too_small', path: 'intro.title', message: 'needs 256 px' }],
        warnings: [],
      },
    });
    expect(screen.getByRole('button', { name: 'Upload an image' })).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toBe('needs 256 px');
  });
});
