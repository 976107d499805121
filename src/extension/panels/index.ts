/** Everything the extension shell uses from the panels. */
export { showActivationsPanel, revealTokenInPanel } from './activations';
export { showLatentLanguagePanel, revealTokenInLatentLanguage } from './latentLanguage';
export { showComparePanel, showFeaturePanel, showLanguageNeuronsPanel } from './others';
export { registerPanelSerializers } from './serializers';
export { LensPanel, VIEW_TYPES, type PanelHost } from './lensPanel';
