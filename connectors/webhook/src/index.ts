export { signWebhook } from './sign-webhook.ts';
export { WebhookConfig, WebhookSecret } from './webhook-config.ts';
export { webhookConnector } from './webhook-connector.ts';
