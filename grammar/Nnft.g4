// The nnft language. Action-free: no Java in this file. Newlines inside ( ) and [ ] are dropped
// by org.nnft.syntax.NewlineFilter before the parser sees them, so an expression continues on the
// next line while a bracket is open; inside { } a newline ends a statement as at top level.
grammar Nnft;

program : sep* (statement (sep+ statement)*)? sep* EOF ;

sep : NEWLINE | SEMI ;

statement
  : LET ident ASSIGN expr                                                   # letStmt
  | SYMBOL ident (COMMA ident)*                                             # symbolStmt
  | NET ident LPAREN ident COLON type RPAREN (ARROW type)? netBody          # netDecl
  | NET ident ASSIGN expr                                                   # netAssign
  | FIELD ident LPAREN ident COLON type (COMMA ident COLON type)* RPAREN    # fieldDecl
  | ACTION ident ASSIGN expr                                                # actionStmt
  | GAUGE ident LPAREN ident COLON group RPAREN ON ident gaugeBody           # gaugeDecl
  | SHOW expr                                                               # showStmt
  | EXPECT expr (APPROX expr WITHIN expr ident?)?                           # expectStmt
  | PLOT expr (OVER expr)? TO expr                                          # plotStmt   // options: TO "f.png" with title = "...", ... (AstBuilder takes the with off the file name)
  | EXPORT expr TO expr                                                     # exportStmt
  | expr                                                                    # exprStmt
  ;

// R, R^d, R^3
type : ident (CARET typeDim)? ;
typeDim : NUMBER | ident | LPAREN expr (COMMA expr)? RPAREN ;   // R^(T, d): a T x d matrix input

// R^n, R+^n, GL(n), S(n) or S_n, {±1}^n
group
  : ident PLUS? (CARET typeDim)?                                            # namedGroup
  | ident LPAREN expr RPAREN                                                # sizedGroup
  | LBRACE PLUSMINUS NUMBER RBRACE CARET typeDim                            # signGroup
  ;

gaugeBody : LBRACE sep* (gaugeRule (sep+ gaugeRule)*)? sep* RBRACE ;
gaugeRule : ident ARROW expr ;

netBody : LBRACE sep* (netItem (sep+ netItem)*)? sep* RBRACE ;

netItem
  : ident (LBRACK exprList RBRACK)? TILDE expr                              # paramItem
  | ident LBRACK exprList RBRACK ASSIGN expr                                # fixedItem
  | LET ident ASSIGN expr                                                   # letItem
  | RETURN expr                                                             # returnItem
  ;

expr
  : primary                                                                 # atomExpr
  | expr DOT memberName                                                          # memberExpr
  | expr LPAREN args? RPAREN                                                # callExpr
  | expr LBRACK exprList RBRACK                                             # indexExpr
  | <assoc=right> expr CARET expr                                           # powExpr
  | op=(MINUS | PLUS | SQRTSIGN) expr                                       # unaryExpr
  | expr op=(STAR | SLASH | AT) expr                                        # mulExpr
  | expr op=(PLUS | MINUS) expr                                             # addExpr
  | expr PLUSMINUS expr                                                     # pmExpr
  | expr op=(LT | LE | GT | GE | EQ | NE) expr                              # cmpExpr
  | NOT expr                                                                # notExpr
  | expr AND expr                                                           # andExpr
  | expr OR expr                                                            # orExpr
  | expr WITH binding (COMMA binding)*                                      # withExpr
  ;

binding : ident ASSIGN expr ;

primary
  : NUMBER                                                                  # numberLit
  | STRING                                                                  # stringLit
  | (TRUE | FALSE)                                                          # boolLit
  | ident                                                                   # nameRef
  | LPAREN expr RPAREN                                                      # parens
  | LBRACK (expr (FOR ident IN expr (IF expr)? | (COMMA expr)* COMMA?))? RBRACK  # brackets
  ;
// [a, b, c] is a list and [body for x in xs if cond] a comprehension. They share one alternative
// so that the parser decides after the first item, at 'for' or ',', instead of looking ahead
// through the whole first item at every '[' (which made [[[...]]] quadratic in its depth).

exprList : expr (COMMA expr)* COMMA? ;

args : arg (COMMA arg)* COMMA? ;
arg : (argName ASSIGN)? expr ;

// keywords may name arguments: mlp(in = 2, ...)
argName : ident | IN | TO | OVER | WITH | FOR | IF | WITHIN | FIELD | ACTION | GAUGE | ON ;

// parts of results may be named like keywords: F.net, balance(F).net
memberName : ident | NET | ACTION | FIELD | GAUGE ;

ident : ID ;

// ---- lexer ----
LET : 'let' ;
SYMBOL : 'symbol' ;
NET : 'net' ;
FIELD : 'field' ;
GAUGE : 'gauge' ;
ON : 'on' ;
ACTION : 'action' ;
SHOW : 'show' ;
EXPECT : 'expect' ;
PLOT : 'plot' ;
EXPORT : 'export' ;
WITHIN : 'within' ;
WITH : 'with' ;
FOR : 'for' ;
IN : 'in' ;
IF : 'if' ;
RETURN : 'return' ;
OVER : 'over' ;
TO : 'to' ;
TRUE : 'true' ;
FALSE : 'false' ;
AND : 'and' | '&&' ;
OR : 'or' | '||' ;
NOT : 'not' | '!' ;

APPROX : '~=' | '≈' ;
// '+-' and '+/-' read as ± (as a physicist writes it), never as plus a negative number
PLUSMINUS : '±' | '+-' | '+/-' ;
SQRTSIGN : '√' ;
ARROW : '->' | '→' ;
EQ : '==' ;
NE : '!=' | '≠' ;
LE : '<=' | '≤' ;
GE : '>=' | '≥' ;
LT : '<' ;
GT : '>' ;
ASSIGN : '=' ;
TILDE : '~' ;
PLUS : '+' ;
MINUS : '-' | '−' ;
STAR : '*' | '·' | '×' ;
SLASH : '/' ;
CARET : '^' ;
AT : '@' ;
DOT : '.' ;
COMMA : ',' ;
COLON : ':' ;
SEMI : ';' ;
LPAREN : '(' ;
RPAREN : ')' ;
LBRACK : '[' ;
RBRACK : ']' ;
LBRACE : '{' ;
RBRACE : '}' ;

NUMBER : DIGITS ('.' DIGITS?)? EXPONENT? | '.' DIGITS EXPONENT? ;
fragment DIGITS : [0-9] ('_'? [0-9])* ;
fragment EXPONENT : [eE] [+-]? [0-9]+ ;

STRING : '"' (~["\\\r\n] | '\\' .)* '"' ;
UNTERMINATED : '"' (~["\\\r\n] | '\\' .)* ;

ID : [\p{L}_] [\p{L}\p{N}_]* ;

NEWLINE : '\r'? '\n' | '\r' ;
CONTINUATION : '\\' [ \t]* '\r'? '\n' -> skip ;
COMMENT : '#' ~[\r\n]* -> skip ;
WS : [ \t\f\u00A0]+ -> skip ;

// anything else is one bad character; the parser reports it with its position
BADCHAR : . ;
