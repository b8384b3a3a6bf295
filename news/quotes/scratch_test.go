package quotes

import (
	"fmt"
	"testing"
)

func TestScratch(t *testing.T) {
	arts := [][]string{
		{`"We will not back down," said Sen. Lindsey Graham, R-S.C., on Sunday.`,
			`Rep. Eleanor Holmes Norton, D-D.C., said the plan "would hurt every family in the city."`},
		{`Since then, a Republican, Mark Amodei, has voiced support, telling the Nevada Independent: "I'm a big fan of oversight."`},
		{`A Muslim, the imam said, "We pray for peace in this town."`},
		{`Hillary Clinton spoke in Ohio on Monday. "We are stronger together," the former secretary of state said.`},
		{`Crown Prince Mohammad bin Salman accepted responsibility for the murder of journalist Jamal Khashoggi. Speaking to PBS, he said, "It happened under my watch."`},
		{`Emily Spanton, 39, who has waived her right to anonymity, met officers Antoine Quirin and Nicolas Redouane at a pub. She said she was raped by Quirin and Redouane. She told a guard, "they raped me".`},
		{`House Speaker John Bercow commented on the matter — which the BBC noted as unusual — "It is blindingly obvious what the purpose is."`},
		{`Lead actor Paul Lee talked about the series. During the premiere, "I felt like Cinderella at the ball, and it was great."`},
		{`Clinton said the economy was rigged. "It is rigged for those at the top," she said.`, `Trump responded that she had been in office for thirty years. "She has done nothing," he said. "Nothing at all."`},
		{`Officials told state media, adding that rescuers ended their work yesterday.`},
		{`Ford said in a financial filing to the U.S. Securities and Exchange Commission that the investigation started last year.`},
		{`Dr. Tristan Smith explained to Wikinews that crews might turn their transponders off on purpose.`},
		{`Trump told reporters on Air Force One that the wall would be built.`},
		{`According to the ministry, the fire started in the kitchen.`},
		{`Senator Jane Doe warned the bill would fail.`},
		{`Mr. Sanders argued that the system is rigged against working families.`},
		{`A spokesman for Senator Jane Doe said "she will vote against the bill in its current form."`},
		{`Clinton's spokesman Brian Fallon said, "We have nothing more to add on this."`},
		{`Trump's campaign manager said the candidate "is doing very well in the polls right now."`},
		{`Sanders, speaking in Iowa after Clinton had left the state, said "the race is wide open now."`},
	}
	for _, a := range arts {
		for _, q := range Extract(a) {
			fmt.Printf("%-8s %-22q %-10q %.70q\n", q.Kind, q.Speaker, q.Cue, q.Text)
		}
		fmt.Println("--")
	}
}
