/** Everything the extension shell uses from the panels. */
export { showActivationsPanel, revealTokenInPanel } from './activations';
export { showComparePanel, showFeaturePanel, showLanguageNeuronsPanel } from './others';
export { registerPanelSerializers } from './serializers';
export { LensPanel, VIEW_TYPES, type PanelHost } from './lensPanel';
