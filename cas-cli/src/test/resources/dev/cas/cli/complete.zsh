# Usage: zsh -f complete.zsh SCRIPT RESULT TYPED...
# Starts an interactive zsh on a pseudo-terminal (zpty), loads compinit and the completion SCRIPT,
# then for each TYPED text types it and TAB, and appends the edited line zle holds afterwards
# (its BUFFER) to the file RESULT, one line each; then exits 0. Exits 1 when the shell does not
# become ready or a line does not come back within 30 s.
zmodload zsh/zpty || exit 1
script=$1 result=$2
shift 2
: >| $result
zpty -b cz zsh -f -i || exit 1
zpty -w cz "PS1='READY> '; autoload -U compinit && compinit -u -D; source ${(q)script} && print -r -- LOADED; report() { print -r -- \"\$BUFFER\" >> ${(q)result}; BUFFER=''; }; zle -N report; bindkey '^X' report"
# Waits until the shell shows $1 in its output (or gives up).
await() {
  local seen='' chunk
  for i in {1..600}; do
    zpty -r -t cz chunk 2>/dev/null && seen+=$chunk
    [[ $seen == *$1* ]] && return 0
    sleep 0.05
  done
  return 1
}
await 'LOADED' || { print -u2 "zsh did not load $script"; exit 1 }
n=0
for typed in "$@"; do
  zpty -w -n cz "${typed}"$'\t\C-x'
  (( n++ ))
  for i in {1..600}; do
    [[ -f $result && $(wc -l < $result) -ge $n ]] && break
    sleep 0.05
  done
  [[ $(wc -l < $result) -ge $n ]] || { print -u2 "no line back for [$typed]"; exit 1 }
done
zpty -d cz
