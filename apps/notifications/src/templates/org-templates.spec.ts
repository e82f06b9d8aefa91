import { OrgInvitationSentV1, OrgMembershipChangedV1 } from '@app/contracts';
import { orgInvitationTemplate } from './org-invitation.template';
import { orgMembershipTemplate } from './org-membership.template';
import { webhookEndpointChangedTemplate, webhookEndpointDisabledTemplate } from './webhook-endpoint.template';

const ctx = { publicUrl: 'https://portal.example/' };

describe('organisation templates', () => {
  it('puts the invitation token in the link fragment (never sent to a server), and escapes a hostile name', () => {
    const data = { ...OrgInvitationSentV1.example, orgName: '<b>Acme</b>' };
    const message = orgInvitationTemplate(data, ctx);
    expect(message.text).toContain(`https://portal.example/org/accept#token=${encodeURIComponent(data.token)}`);
    expect(message.html).not.toContain('<b>Acme</b>');
    expect(message.sms).not.toContain(data.token);
  });

  it('tells a member of a role change and a removal, with who made it', () => {
    const changed = orgMembershipTemplate(OrgMembershipChangedV1.example, ctx);
    expect(changed.subject).toBe('Your role in Acme Shipping changed');
    expect(changed.text).toContain('sam_smith changed your role in Acme Shipping from shipper to admin');
    const removed = orgMembershipTemplate(
      { ...OrgMembershipChangedV1.example, change: 'removed', role: undefined },
      ctx,
    );
    expect(removed.subject).toBe('You no longer belong to Acme Shipping');
  });

  it("writes the invitation, the membership notices and the webhook notices in the reader's language", () => {
    const invitation = orgInvitationTemplate(OrgInvitationSentV1.example, { ...ctx, language: 'es' });
    expect(invitation.subject).toBe('Le invitan a unirse a Acme Shipping');
    expect(invitation.text).toContain('Aceptar la invitación');
    const changed = orgMembershipTemplate(OrgMembershipChangedV1.example, { ...ctx, language: 'es' });
    expect(changed.text).toContain('sam_smith cambió su función en Acme Shipping de remitente a administrador');
    const removed = orgMembershipTemplate(
      { ...OrgMembershipChangedV1.example, change: 'removed', role: undefined },
      { ...ctx, language: 'zh-Hans' },
    );
    expect(removed.subject).toBe('您已不再属于 Acme Shipping');
    const at = '2026-12-06T15:00:00Z';
    const rotated = webhookEndpointChangedTemplate(
      { change: 'secret_rotated', url: 'https://hooks.example/p', at },
      { ...ctx, language: 'es' },
    );
    expect(rotated.subject).toBe('Se cambió el secreto de firma de un punto de conexión de webhook');
    expect(rotated.text).toContain('https://hooks.example/p');
    const disabled = webhookEndpointDisabledTemplate(
      { url: 'https://hooks.example/p', failingSince: at },
      { ...ctx, language: 'zh-Hans' },
    );
    expect(disabled.subject).toBe('一个 Webhook 端点已被停用');
    const english = webhookEndpointChangedTemplate({ change: 'registered', url: 'https://hooks.example/p', at }, ctx);
    expect(english.sms).toBe('Postal Service: a webhook endpoint was registered on your account.');
  });
});
