/**
 * The HCL rendering: cdktf 0.21's `synth --hcl` made to mean exactly what the JSON synthesis means, for
 * `cdktf synth --hcl` and for the hand-off to teams that run only Terraform. See docs/hcl-handoff.md.
 */
export { type StringMode, hclExpression, hclString, hclStringContent } from './expression';
export { formatHclFiles } from './format';
export { ATTRIBUTES_AS_BLOCKS, hclSafeFragment, rawAttribute, renderedAttribute } from './fragments';
export { HANDOFF_STATE_FILE, HclSafeRendering, type HclRenderingOptions, prepareHclHandoff, synthesizeHcl, synthesizeHclFiles } from './handoff';
export { MachinePathError, machinePaths, refuseMachinePaths } from './machine-paths';
export { type HclJson, parseHcl } from './parse';
export { spaceBlocks } from './spacing';
export { HclStringError, hasTemplateSequences, hclLiteralContent, hclTemplateContent, splitTemplate, type TemplatePart } from './strings';
export { synthesizeApp } from './synth-app';
export { MINIMUM_TERRAFORM, requireTerraformCli, TerraformCliError, terraformAvailable, terraformFmt, terraformFmtCheck } from './terraform-cli';
export { StackVariable, hclVariableBody } from './variable';
