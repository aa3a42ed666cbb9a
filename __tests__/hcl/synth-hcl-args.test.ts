import { parseSynthHclArgs, SYNTH_HCL_USAGE, SynthHclUsageError } from '../../scripts/hcl/args';

describe('npm run synth:hcl options', () => {
  it('writes to dist/terraform, keeping folders with state, by default', () => {
    expect(parseSynthHclArgs([])).toEqual({ help: false, out: 'dist/terraform', force: false });
  });

  it('takes --out (both spellings) and --force', () => {
    expect(parseSynthHclArgs(['--out', 'hand-off', '--force'])).toEqual({ help: false, out: 'hand-off', force: true });
    expect(parseSynthHclArgs(['--out=/tmp/x'])).toEqual({ help: false, out: '/tmp/x', force: false });
  });

  it.each([[['--help']], [['-h']], [['--out', 'x', '--help']]])('asks for the usage with %j', (argv) => {
    expect(parseSynthHclArgs(argv)).toEqual({ help: true });
  });

  it.each([
    [['--fore'], /Unknown option '--fore'/],
    [['--out'], /--out/],
    [['--out', ''], /--out needs a folder/],
    [['dist'], /positional/i],
  ])('refuses %j, saying what is wrong and what it takes', (argv, message) => {
    const refuse = () => parseSynthHclArgs(argv);
    expect(refuse).toThrow(SynthHclUsageError);
    expect(refuse).toThrow(message);
    expect(refuse).toThrow(SYNTH_HCL_USAGE);
  });
});
