package bot

import (
	"fmt"
	"sync"

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

// branchEnvs keeps the maps branch conditions run over: the shipped
// flows pass several branches a turn, each over every slot, and a map
// that size made afresh each time was the engine's largest allocation.
var branchEnvs = sync.Pool{New: func() any { return map[string]any{} }}

// branchEnv returns the variables of c's branch conditions; give it
// back with releaseBranchEnv once the conditions have run.
func branchEnv(c *Conversation) map[string]any {
	env := branchEnvs.Get().(map[string]any)
	for k, v := range c.Slots {
		env[k] = v
	}
	env["lang"] = c.Lang
	return env
}

// releaseBranchEnv empties env, which no condition's result refers to,
// for the next branch.
func releaseBranchEnv(env map[string]any) {
	clear(env)
	branchEnvs.Put(env)
}
