import { OrgInvitationSentV1, OrgMembershipChangedV1 } from '@app/contracts';
import { orgInvitationTemplate } from './org-invitation.template';
import { orgMembershipTemplate } from './org-membership.template';

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
});
