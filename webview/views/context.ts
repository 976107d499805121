/** What every view gets from its entry: the host bridge, the theme, the shared hover card. */
import type { GeneratedText } from '../../src/shared/generatedText';
import type { Theme } from '../render/color';
import type { Bridge } from './bridge';
import type { HoverCardView } from './hoverCard';

export interface ViewContext {
  bridge: Bridge;
  theme(): Theme;
  hover: HoverCardView;
  /** performance.now() when the data arrived; views report their first paint against it. */
  t0: number;
  /** Persists view UI state (selection, filters) next to the data for restore after reload. */
  saveUi(ui: Record<string, unknown>): void;
  /** UI state restored from a previous session, if any. */
  ui: Record<string, unknown>;
  /** Says `text` through the panel's aria-live region (selection changes for screen readers). */
  announce(text: string): void;
}

/** A mounted view: redraw on theme change, free listeners on unmount. */
export interface MountedView {
  redraw(): void;
  destroy(): void;
  /** The host selected a token (editor cursor); select it without echoing a selection back. */
  reveal?(pos: number | null): void;
  /** A neuron's value on every token arrived from the engine (the Activations heatmap's full column). */
  column?(layer: number, index: number, values: Float32Array): void;
  /** The continuation of an analysis shown while it was generated arrived (or was stopped). */
  continuation?(generated: GeneratedText): void;
}
