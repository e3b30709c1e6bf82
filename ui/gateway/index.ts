/** The Temporal Web UI gateway: `startUiGateway` serves the UI for any Temporal frontend. */
export { startUiGateway } from './server';
export type { UiGatewayOptions, RunningUiGateway, LogLevel } from './server';
export type { TlsOptions } from './grpc';
export { UI_VERSION } from './settings';
export type { CodecGatewayOptions } from './codec';
