// Type guards over Handlebars' syntax tree: its node types are told apart by `type`, which TypeScript cannot
// narrow on by itself because the published types declare it as a plain string on the base node.

function isNode<T extends hbs.AST.Node>(type: string) {
  return (node: hbs.AST.Node): node is T => node.type === type;
}

export const isMustache = isNode<hbs.AST.MustacheStatement>('MustacheStatement');
export const isBlock = isNode<hbs.AST.BlockStatement>('BlockStatement');
export const isPartial = isNode<hbs.AST.PartialStatement>('PartialStatement');
export const isPartialBlock = isNode<hbs.AST.PartialBlockStatement>('PartialBlockStatement');
export const isPath = isNode<hbs.AST.PathExpression>('PathExpression');
export const isSubExpression = isNode<hbs.AST.SubExpression>('SubExpression');
export const isNumber = isNode<hbs.AST.NumberLiteral>('NumberLiteral');
