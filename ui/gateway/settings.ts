/** GET /api/v1/settings: the UI server's own answer (Go field names, as Temporal's UI server sends them). */

/** The version of @temporalio/ui the app is built from; the UI encodes paths once from 2.23.0 on. */
export const UI_VERSION = '2.38.0';

export interface UiSettingsOptions {
  /** Namespace the UI opens (default "default"). */
  defaultNamespace?: string;
  /** Remote codec server for payloads (POST {payloads} to /decode and /encode). */
  codecEndpoint?: string;
  codecPassAccessToken?: boolean;
  codecIncludeCredentials?: boolean;
  /** Shown in the UI's banner when decoding fails, with `codecDefaultErrorLink`. */
  codecDefaultErrorMessage?: string;
  codecDefaultErrorLink?: string;
  /** Read-only UI: every call but queries is refused, and the UI hides its write actions. */
  disableWriteActions?: boolean;
  bannerText?: string;
  feedbackUrl?: string;
  showTemporalSystemNamespace?: boolean;
  hideWorkflowQueryErrors?: boolean;
  refreshWorkflowCountsDisabled?: boolean;
}

export function settingsResponse(o: UiSettingsOptions): Record<string, unknown> {
  return {
    Auth: { Enabled: false, Options: null },
    BannerText: o.bannerText ?? '',
    DefaultNamespace: o.defaultNamespace || 'default',
    ShowTemporalSystemNamespace: !!o.showTemporalSystemNamespace,
    FeedbackURL: o.feedbackUrl ?? '',
    NotifyOnNewVersion: false,
    Codec: {
      Endpoint: o.codecEndpoint ?? '',
      PassAccessToken: !!o.codecPassAccessToken,
      IncludeCredentials: !!o.codecIncludeCredentials,
      DefaultErrorMessage: o.codecDefaultErrorMessage ?? '',
      DefaultErrorLink: o.codecDefaultErrorLink ?? '',
    },
    Version: UI_VERSION,
    DisableWriteActions: !!o.disableWriteActions,
    WorkflowTerminateDisabled: false,
    WorkflowCancelDisabled: false,
    WorkflowSignalDisabled: false,
    WorkflowUpdateDisabled: false,
    WorkflowResetDisabled: false,
    BatchActionsDisabled: false,
    StartWorkflowDisabled: false,
    HideWorkflowQueryErrors: !!o.hideWorkflowQueryErrors,
    RefreshWorkflowCountsDisabled: !!o.refreshWorkflowCountsDisabled,
  };
}
