import { definedProfiles, sharedFiles } from '../../cli/profiles';

describe('AWS profiles in the shared files', () => {
  it('finds the files where AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE say, else in ~/.aws', () => {
    expect(sharedFiles({ HOME: '/home/ana' })).toEqual({ config: '/home/ana/.aws/config', credentials: '/home/ana/.aws/credentials' });
    expect(sharedFiles({ HOME: '/home/ana', AWS_CONFIG_FILE: '/etc/aws/config', AWS_SHARED_CREDENTIALS_FILE: '/etc/aws/keys' })).toEqual({
      config: '/etc/aws/config',
      credentials: '/etc/aws/keys',
    });
  });

  it('reads [profile x] and [default] from the config file, [x] from the credentials file, and nothing else', () => {
    const files = { config: 'config', credentials: 'credentials' };
    const text: Record<string, string> = {
      config: '[default]\nregion = eu-west-1\n[profile  ops ]\nsso_session = corp\n[sso-session corp]\nsso_region = eu-west-1\n[services s3-local]\n# [profile commented]\n',
      credentials: '[ci]\naws_access_key_id = x\n[default]\n',
    };
    expect(definedProfiles(files, (file) => text[file])).toEqual(['default', 'ops', 'ci']);
    expect(definedProfiles(files, () => undefined)).toEqual([]);
  });
});
