"""What clinicians and residents both see of a program: module texts and pictures, answers read
back from forms, and the task page a step is done on."""
