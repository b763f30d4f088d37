/**
 * Pages of the web app that messages link to. The paths are part of the contract with `apps/web`
 * (docs/services/notification.md lists them): a mail sent today must still open the right page.
 */
export const WEB_PAGES = {
  home: '/templates',
  render: (jobId: string) => `/renders/${jobId}`,
  payments: '/account/payments',
  plan: '/account/plan',
  files: '/account/files',
  apiKeys: '/account/api-keys',
  webhook: (webhookId: string) => `/account/webhooks/${webhookId}`,
  notificationSettings: '/account/notifications',
  verifyEmail: (token: string) => `/verify-email?token=${encodeURIComponent(token)}`,
  resetPassword: (token: string) => `/reset-password?token=${encodeURIComponent(token)}`,
  acceptInvitation: (token: string) => `/invitations/accept?token=${encodeURIComponent(token)}`,
} as const;

/** An absolute URL of a web app path (`WEB_ORIGIN` + path). */
export function webUrl(webOrigin: string, path: string): string {
  return `${webOrigin.replace(/\/+$/, '')}${path}`;
}
