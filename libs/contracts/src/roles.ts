/** Roles carried in access tokens. `scanner` belongs to API keys of internal postal systems. */
export const Roles = {
  Customer: 'customer',
  Operator: 'operator',
  Scanner: 'scanner',
} as const;

export type Role = (typeof Roles)[keyof typeof Roles];

export const ALL_ROLES: readonly Role[] = Object.values(Roles);

/** The same constants under the singular name, so `@Roles(Role.Operator)` reads beside libs/auth's decorator. */
export const Role = Roles;
