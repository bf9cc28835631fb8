import { writeDevCertificate, DEV_CERT_VALID_DAYS } from '../../node/statements/dev-cert.ts';
import type { Command } from '../command.ts';
import { EXIT_OK, UsageError } from '../errors.ts';

const ORGANIZATION_LENGTH_MAX = 64;

export const devCertCommand: Command = {
  name: 'dev-cert',
  summary: 'make a self-signed DEVELOPMENT certificate (P12 + passphrase file + trust anchor) for signing statements; never for production',
  usage: 'dev-cert --out DIR [--organization NAME] [--json]',
  options: {
    out: { type: 'string', valueName: 'DIR', description: 'folder for dev-cert.p12 (mode 0600), dev-cert.passphrase (0600) and dev-cert.pem (the trust anchor to give verify); existing files are not overwritten' },
    organization: { type: 'string', valueName: 'NAME', description: 'organization name in the certificate (default "SettleDesk development")' },
  },
  examples: ['settledesk dev-cert --out dev-keys/', 'settledesk dev-cert --out dev-keys/ --organization "Example Platform GmbH"'],
  async run(args, output) {
    const dir = args.values.out as string | undefined;
    if (dir === undefined || args.positionals.length > 0) throw new UsageError('dev-cert takes --out DIR and no files');
    const organization = (args.values.organization as string | undefined) ?? 'SettleDesk development';
    if (organization.length === 0 || organization.length > ORGANIZATION_LENGTH_MAX || [...organization].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f)) throw new UsageError(`--organization must be 1 to ${ORGANIZATION_LENGTH_MAX} printable characters`);
    const files = writeDevCertificate(dir, organization, new Date());
    output.line(`DEVELOPMENT certificate for "${organization}", valid ${DEV_CERT_VALID_DAYS} days; every PDF signed with it says DEVELOPMENT CERTIFICATE — NOT FOR PRODUCTION.`);
    output.line(`  private key + certificate: ${files.p12} (mode 0600, AES-256 encrypted)`);
    output.line(`  passphrase:                ${files.passphrase} (mode 0600)`);
    output.line(`  trust anchor (public):     ${files.certificate}`);
    output.line(`Sign:   settledesk settle ... --out DIR --pdf --sign-p12 ${files.p12} --sign-passphrase-file ${files.passphrase}`);
    output.line(`Verify: settledesk verify DIR/<partner>.statement.pdf --trust-anchor ${files.certificate}`);
    output.document({ organization, development: true, validDays: DEV_CERT_VALID_DAYS, p12: files.p12, p12Mode: '0600', passphraseFile: files.passphrase, trustAnchor: files.certificate });
    return EXIT_OK;
  },
};
