"""The community around the platform (R71–R74): the platform's news with a "new since last time"
marker per person (news), the designers' network of questions and answers (network), and interest in
designer training and requests for implementation support, each a small shipped BPMN process that
national management handles (requests). Plain Python below the web: no Flask here."""
