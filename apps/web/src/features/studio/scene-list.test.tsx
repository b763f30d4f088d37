// @vitest-environment jsdom
import { cleanup, createEvent, fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LocaleProvider } from '@/i18n/client';
import { SceneList, type SceneListProps, type SceneRow } from './scene-list';

afterEach(cleanup);

const rows: SceneRow[] = [
  { id: 'intro', name: 'Intro', duration: 3, min: 2, max: 6 },
  { id: 'quote', name: 'Quote', duration: 4, min: 3, max: 8, errorCount: 2 },
  { id: 'outro', name: 'Outro', duration: 3, min: 2, max: 5 },
];

function setup(props: Partial<SceneListProps> = {}) {
  const onEdit = vi.fn();
  const onSelect = vi.fn();
  render(
    <LocaleProvider locale="en">
      <SceneList
        scenes={rows}
        flexible
        minScenes={1}
        maxScenes={5}
        blocks={[
          { id: 'title-card', name: 'Title card' },
          { id: 'quote', name: 'Quote' },
        ]}
        selected="quote"
        onSelect={onSelect}
        onEdit={onEdit}
        {...props}
      />
    </LocaleProvider>,
  );
  return { onEdit, onSelect };
}

/** jsdom has no DragEvent: the pointer position is set on the generic event the library makes. */
function dragAt(kind: 'dragOver' | 'drop', element: Element, dataTransfer: object, clientY: number) {
  const event = createEvent[kind](element, { dataTransfer });
  Object.defineProperty(event, 'clientY', { value: clientY });
  fireEvent(element, event);
}

const order = () => screen.getAllByTestId('scene-row').map((row) => row.getAttribute('data-scene'));

describe('scene list', () => {
  it('lists the scenes in order with their lengths, the selected one and the problems found', async () => {
    const { onSelect } = setup();
    expect(order()).toEqual(['intro', 'quote', 'outro']);
    const duration = screen.getByLabelText('Length of Quote') as HTMLInputElement;
    expect(duration.value).toBe('4');
    expect(duration.min).toBe('3');
    expect(duration.max).toBe('8');
    const quote = screen.getByRole('button', { name: /Quote/, current: true });
    expect(quote.textContent).toContain('2');
    await userEvent.click(screen.getByRole('button', { name: '3Outro' }));
    expect(onSelect).toHaveBeenCalledWith('outro');
  });

  it('moves a scene with Alt and the arrow keys on its handle', async () => {
    const { onEdit } = setup();
    const handle = screen.getByRole('button', { name: /^Move Quote: drag/ });
    handle.focus();
    await userEvent.keyboard('{Alt>}{ArrowUp}{/Alt}');
    expect(onEdit).toHaveBeenLastCalledWith({ op: 'move', scene: 'quote', to: 0 });
    await userEvent.keyboard('{ArrowUp}');
    expect(onEdit).toHaveBeenCalledTimes(1);
    // The list gives focus back to the moved scene's handle on the next frame; let that frame pass.
    await new Promise((resolve) => requestAnimationFrame(resolve));
    screen.getByRole('button', { name: /^Move Outro: drag/ }).focus();
    await userEvent.keyboard('{Alt>}{ArrowDown}{/Alt}');
    expect(onEdit).toHaveBeenCalledTimes(1);
    expect(screen.getByText('Quote moved to position 1.')).toBeTruthy();
  });

  it('moves with the up and down buttons, which stop at the ends', async () => {
    const { onEdit } = setup();
    expect((screen.getByRole('button', { name: 'Move Intro up' }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole('button', { name: 'Move Outro down' }) as HTMLButtonElement).disabled).toBe(
      true,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Move Intro down' }));
    expect(onEdit).toHaveBeenCalledWith({ op: 'move', scene: 'intro', to: 1 });
  });

  it('drops a dragged scene where the marker shows', () => {
    const { onEdit } = setup();
    const [intro, , outro] = screen.getAllByTestId('scene-row');
    const data = new Map<string, string>();
    const dataTransfer = {
      setData: (k: string, v: string) => data.set(k, v),
      getData: (k: string) => data.get(k) ?? '',
      effectAllowed: '',
    };
    outro!.getBoundingClientRect = () => ({ top: 100, height: 40, bottom: 140 }) as DOMRect;
    fireEvent.dragStart(intro!, { dataTransfer });
    dragAt('dragOver', outro!, dataTransfer, 130);
    expect(outro!.getAttribute('data-drop-after')).toBe('true');
    dragAt('drop', outro!, dataTransfer, 130);
    expect(onEdit).toHaveBeenCalledWith({ op: 'move', scene: 'intro', to: 2 });
  });

  it('dropping a scene on its own place changes nothing', () => {
    const { onEdit } = setup();
    const [intro, quote] = screen.getAllByTestId('scene-row');
    const dataTransfer = { setData: () => undefined, getData: () => 'intro', effectAllowed: '' };
    quote!.getBoundingClientRect = () => ({ top: 100, height: 40, bottom: 140 }) as DOMRect;
    fireEvent.dragStart(intro!, { dataTransfer });
    dragAt('dragOver', quote!, dataTransfer, 105);
    expect(quote!.getAttribute('data-drop-before')).toBe('true');
    dragAt('drop', quote!, dataTransfer, 105);
    expect(onEdit).not.toHaveBeenCalled();
  });

  it('changes a length within its bounds only', () => {
    const { onEdit } = setup();
    const input = screen.getByLabelText('Length of Intro') as HTMLInputElement;
    fireEvent.change(input, { target: { value: '9' } });
    fireEvent.blur(input);
    expect(onEdit).not.toHaveBeenCalled();
    expect(input.value).toBe('3');
    fireEvent.change(input, { target: { value: '4.5' } });
    fireEvent.blur(input);
    expect(onEdit).toHaveBeenCalledWith({ op: 'duration', scene: 'intro', seconds: 4.5 });
  });

  it('adds and removes scenes within the template bounds', async () => {
    const { onEdit } = setup({ minScenes: 3, maxScenes: 3 });
    expect((screen.getByRole('button', { name: 'Remove Intro' }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole('button', { name: '+ Add a scene' }) as HTMLButtonElement).disabled).toBe(true);
    cleanup();
    const second = setup();
    await userEvent.selectOptions(screen.getByLabelText('Scene type'), 'quote');
    await userEvent.click(screen.getByRole('button', { name: '+ Add a scene' }));
    expect(second.onEdit).toHaveBeenCalledWith({ op: 'add', block: 'quote' });
    await userEvent.click(screen.getByRole('button', { name: 'Remove Outro' }));
    expect(second.onEdit).toHaveBeenLastCalledWith({ op: 'remove', scene: 'outro' });
    expect(onEdit).not.toHaveBeenCalled();
  });

  it('keeps the scenes of a fixed template in place: lengths only', () => {
    setup({ flexible: false });
    expect(screen.queryByRole('button', { name: /drag/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /Remove/ })).toBeNull();
    expect(screen.queryByLabelText('Scene type')).toBeNull();
    expect(screen.getAllByTestId('scene-row').every((row) => row.getAttribute('draggable') === 'false')).toBe(
      true,
    );
    expect(screen.getByLabelText('Length of Outro')).toBeTruthy();
  });
});
