package bot

import (
	"fmt"

	"github.com/expr-lang/expr"
)

// compile prepares a branch condition. Conditions are expr-lang
// expressions over the conversation's slots by name (a slot not yet
// filled is nil) and "lang", and must yield a boolean:
//
//	paid_by in ["debit", "credit"] && lang == "zh-CN"
func (c *BranchCase) compile() error {
	if c.If == "" {
		return fmt.Errorf("a branch case needs an 'if' condition")
	}
	p, err := expr.Compile(c.If, expr.AllowUndefinedVariables(), expr.AsBool())
	if err != nil {
		return fmt.Errorf("condition %q: %v", c.If, err)
	}
	c.program = p
	return nil
}

func (c *BranchCase) eval(env map[string]any) (bool, error) {
	if c.program == nil {
		if err := c.compile(); err != nil {
			return false, err
		}
	}
	out, err := expr.Run(c.program, env)
	if err != nil {
		return false, err
	}
	b, _ := out.(bool)
	return b, nil
}

func branchEnv(c *Conversation) map[string]any {
	env := make(map[string]any, len(c.Slots)+1)
	for k, v := range c.Slots {
		env[k] = v
	}
	env["lang"] = c.Lang
	return env
}
