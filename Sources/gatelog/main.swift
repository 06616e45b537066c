import GateLogKit
print("gatelog")
