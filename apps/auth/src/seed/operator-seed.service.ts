import { Roles } from '@app/contracts';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AUTH_CONFIG, type AuthConfig } from '../config';
import { RegistrationService } from '../registration/registration.service';
import { UsersRepository } from '../users/users.repository';

/** Creates the operator account from PORTAL_OPERATOR_USERNAME/PASSWORD when both are set and it is missing. */
@Injectable()
export class OperatorSeedService implements OnApplicationBootstrap {
  private readonly logger = new Logger(OperatorSeedService.name);

  constructor(
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
    private readonly users: UsersRepository,
    private readonly registration: RegistrationService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const username = this.config.PORTAL_OPERATOR_USERNAME;
    const password = this.config.PORTAL_OPERATOR_PASSWORD;
    if (!username || !password) return;
    if (await this.users.usernameTaken(username)) return;
    try {
      await this.registration.createUser({
        username,
        password,
        email: this.config.PORTAL_OPERATOR_EMAIL,
        firstName: 'Portal',
        lastName: 'Operator',
        accountType: 'personal',
        roles: [Roles.Operator],
        emailVerified: true,
      });
      this.logger.log(`operator account ${username} created`);
    } catch (error) {
      // Another replica may have won the race; the claim makes that safe.
      this.logger.warn(`operator account not created: ${(error as Error).message}`);
    }
  }
}
