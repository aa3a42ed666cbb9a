/**
 * The HCL hand-off: cdktf 0.21's `synth --hcl` made to mean exactly what the JSON synthesis means, for teams
 * that run only Terraform. See docs/hcl-handoff.md.
 */
export { type StringMode, hclExpression, hclString, hclStringContent } from './expression';
export { ATTRIBUTES_AS_BLOCKS, hclSafeFragment, rawAttribute, renderedAttribute } from './fragments';
export { HANDOFF_STATE_FILE, HclSafeRendering, prepareHclHandoff, synthesizeHcl } from './handoff';
export { HclStringError, hasTemplateSequences, hclLiteralContent, hclTemplateContent, splitTemplate, type TemplatePart } from './strings';
export { StackVariable, hclVariableBody } from './variable';
